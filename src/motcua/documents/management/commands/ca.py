"""``motcua ca init|show``: create and inspect the local CA that signs results in the demo.

``init`` creates the root (if missing) and, with ``--agency CODE`` (repeatable) or
``--all-agencies``, a signing certificate per agency. ``show`` prints the directory,
each certificate's subject, validity and SHA-256 fingerprint; never a private key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.documents.ca import get_local_ca
from motcua.documents.errors import InvalidAgencyCodeForCertificate
from motcua.kernel import clock


class Command(BaseCommand):
    help = "Khởi tạo hoặc xem CA nội bộ dùng để ký số kết quả (demo, kiểm thử)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        init = sub.add_parser("init", help="Tạo CA gốc và chứng thư số cho cơ quan.")
        init.add_argument(
            "--agency",
            action="append",
            default=[],
            metavar="CODE",
            help="Mã định danh cơ quan cần cấp chứng thư số (lặp lại được).",
        )
        init.add_argument(
            "--all-agencies",
            action="store_true",
            help="Cấp chứng thư số cho mọi cơ quan đang hoạt động.",
        )
        sub.add_parser("show", help="Liệt kê CA gốc và các chứng thư số đã cấp.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "init":
            self._init(options["agency"], options["all_agencies"])
        self._show()

    def _init(self, codes: list[str], all_agencies: bool) -> None:
        ca = get_local_ca()
        existed = ca.exists()
        ca.ensure_root()
        self.stdout.write(f"CA gốc {'đã có' if existed else 'vừa được tạo'}: {ca.root_cert_path}")
        agencies = list(Agency.objects.filter(is_active=True)) if all_agencies else []
        names = {agency.code: agency.name for agency in agencies}
        for code in codes:
            agency = Agency.objects.filter(code=code).first()
            names[code] = agency.name if agency else code
        for code, name in sorted(names.items()):
            try:
                ca.credentials_for(code, name)
            except InvalidAgencyCodeForCertificate as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"Chứng thư số của {code} ({name}): sẵn sàng")

    def _show(self) -> None:
        ca = get_local_ca()
        self.stdout.write(f"Thư mục CA: {ca.directory}")
        infos = ca.describe()
        if not infos:
            self.stdout.write("Chưa có CA. Chạy: motcua ca init")
            return
        now = clock.now()
        for info in infos:
            label = "CA gốc" if info.path == ca.root_cert_path else f"Cơ quan {info.agency_code}"
            state = "còn hạn" if info.not_before <= now < info.not_after else "HẾT HẠN"
            self.stdout.write(
                f"- {label}: {info.subject}\n"
                f"  hiệu lực {clock.local(info.not_before):%d/%m/%Y} – "
                f"{clock.local(info.not_after):%d/%m/%Y} ({state})\n"
                f"  SHA-256 {info.sha256}"
            )
