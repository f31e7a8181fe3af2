"""Errors of the dossier lifecycle, each with a stable code that clients branch on.

The workflow engine's own errors keep their codes: ``wrong_state`` (acting from a state
the transition does not start from), ``transition_not_allowed`` (missing role) and
``concurrent_transition`` (two officials at once: one wins, the other is told the dossier
changed).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied

__all__ = [
    "AssigneeNotHandler",
    "CodeSequenceExhausted",
    "DigitisationRequired",
    "DocumentNotProvided",
    "DossierNotFound",
    "EmptySupplementAnswer",
    "EmptySupplementRequest",
    "ExtensionAfterDeadline",
    "ExtensionAlreadyIssued",
    "ExtensionNotLater",
    "InvalidApplicant",
    "InvalidPersonalId",
    "InvalidRating",
    "MissingDocuments",
    "MissingReason",
    "NoFees",
    "NoNextAgency",
    "NotAssignee",
    "NotCompetent",
    "NotLastAgency",
    "OutOfScope",
    "PaymentOutstanding",
    "ProcedureNotInForce",
    "RatingAlreadyGiven",
    "RatingNotOpen",
    "SupplementAlreadyRequested",
    "SupplementAnswerIncomplete",
    "SupplementIncomplete",
    "UnknownDocument",
    "WithdrawalAfterResult",
]


class DossierNotFound(NotFound):
    code = "dossier.not_found"
    default_message = _("Không tìm thấy hồ sơ.")


class OutOfScope(PermissionDenied):
    code = "dossier.out_of_scope"
    default_message = _(
        "Hồ sơ này không thuộc cơ quan của bạn (%(agency)s); bạn không thể thực hiện thao tác."
    )


class ProcedureNotInForce(InvalidInput):
    code = "dossier.procedure_not_in_force"
    default_message = _("Thủ tục %(code)s không có phiên bản đang có hiệu lực tại thời điểm này.")


class NotCompetent(PermissionDenied):
    code = "dossier.not_competent"
    default_message = _(
        "Thủ tục này không thuộc danh sách tiếp nhận không phụ thuộc địa giới hành chính; "
        "đề nghị hướng dẫn người nộp đến %(agency)s."
    )


class InvalidPersonalId(InvalidInput):
    code = "dossier.invalid_personal_id"
    default_message = _("Số định danh cá nhân không hợp lệ: %(reason)s")


class InvalidApplicant(InvalidInput):
    code = "dossier.invalid_applicant"
    default_message = _("Thông tin người yêu cầu hoặc người nộp hồ sơ chưa đầy đủ, hợp lệ.")


class UnknownDocument(InvalidInput):
    code = "dossier.unknown_document"
    default_message = _("Giấy tờ %(document)s không thuộc thành phần hồ sơ của thủ tục này.")


class MissingDocuments(InvalidInput):
    code = "dossier.missing_documents"
    default_message = _(
        "Hồ sơ chưa đầy đủ, thiếu: %(documents)s. Không thể tiếp nhận; "
        "hãy lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."
    )


class DocumentNotProvided(InvalidInput):
    code = "dossier.document_not_provided"
    default_message = _("Giấy tờ “%(document)s” không được nộp nên không thể số hóa.")


class EmptySupplementRequest(InvalidInput):
    code = "dossier.empty_supplement_request"
    default_message = _(
        "Phiếu yêu cầu bổ sung phải nêu đầy đủ, một lần mọi giấy tờ cần bổ sung và lý do."
    )


class SupplementIncomplete(InvalidInput):
    code = "dossier.supplement_incomplete"
    default_message = _(
        "Phiếu yêu cầu bổ sung phải nêu một lần, đầy đủ mọi giấy tờ còn thiếu; chưa nêu: "
        "%(documents)s."
    )


class MissingReason(InvalidInput):
    code = "dossier.missing_reason"
    default_message = _("Phải nêu rõ lý do.")


class DigitisationRequired(Conflict):
    code = "dossier.digitisation_required"
    default_message = _(
        "Chưa số hóa các thành phần hồ sơ: %(documents)s. "
        "Phải số hóa (hoặc ghi rõ trường hợp không phải số hóa) trước khi chuyển hồ sơ."
    )


class SupplementAlreadyRequested(Conflict):
    code = "dossier.supplement_already_requested"
    default_message = _(
        "%(agency)s đã yêu cầu bổ sung hồ sơ này một lần; "
        "mỗi cơ quan chỉ được yêu cầu bổ sung một lần."
    )


class ExtensionAlreadyIssued(Conflict):
    code = "dossier.extension_already_issued"
    default_message = _(
        "Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa."
    )


class ExtensionAfterDeadline(Conflict):
    code = "dossier.extension_after_deadline"
    default_message = _(
        "Đã quá hạn giải quyết (%(due_at)s): văn bản xin lỗi và hẹn lại phải ban hành "
        "trước ngày hẹn trả kết quả."
    )


class ExtensionNotLater(InvalidInput):
    code = "dossier.extension_not_later"
    default_message = _("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại (%(due_at)s).")


class WithdrawalAfterResult(Conflict):
    code = "dossier.withdrawal_after_result"
    default_message = _("Hồ sơ đã có kết quả giải quyết; không thể rút hồ sơ.")


class AssigneeNotHandler(InvalidInput):
    code = "dossier.assignee_not_handler"
    default_message = _(
        "Người được phân công phải là chuyên viên thụ lý của cơ quan đang giải quyết hồ sơ."
    )


class NotAssignee(PermissionDenied):
    code = "dossier.not_assignee"
    default_message = _(
        "Chỉ chuyên viên được phân công thụ lý hồ sơ mới thực hiện được thao tác này."
    )


class NoFees(Conflict):
    code = "dossier.no_fees"
    default_message = _(
        "Thủ tục này không thu phí, lệ phí; không có nghĩa vụ tài chính để yêu cầu."
    )


class NoNextAgency(Conflict):
    code = "dossier.no_next_agency"
    default_message = _(
        "Đây là cơ quan cuối cùng trong quy trình liên thông; hãy ký duyệt kết quả."
    )


class NotLastAgency(Conflict):
    code = "dossier.not_last_agency"
    default_message = _(
        "Hồ sơ liên thông còn phải chuyển đến %(agency)s; chưa thể ký duyệt kết quả cuối cùng."
    )


class PaymentOutstanding(Conflict):
    code = "dossier.payment_outstanding"
    default_message = _(
        "Người nộp chưa hoàn thành nghĩa vụ tài chính (%(amount)s đồng); chưa thể trả kết quả."
    )


class CodeSequenceExhausted(Conflict):
    code = "dossier.code_sequence_exhausted"
    default_message = _(
        "Đã hết số thứ tự mã hồ sơ trong ngày của đơn vị %(unit)s (tối đa %(limit)s hồ sơ)."
    )


class EmptySupplementAnswer(InvalidInput):
    code = "dossier.empty_supplement_answer"
    default_message = _(
        "Vui lòng tải lên hoặc chọn từ kho dữ liệu các giấy tờ được yêu cầu bổ sung."
    )


class SupplementAnswerIncomplete(InvalidInput):
    code = "dossier.supplement_answer_incomplete"
    default_message = _(
        "Còn thiếu giấy tờ được yêu cầu bổ sung: %(documents)s. Hồ sơ bổ sung phải có đủ "
        "các giấy tờ được yêu cầu."
    )


class RatingNotOpen(Conflict):
    code = "dossier.rating_not_open"
    default_message = _("Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ.")


class RatingAlreadyGiven(Conflict):
    code = "dossier.rating_already_given"
    default_message = _("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.")


class InvalidRating(InvalidInput):
    code = "dossier.invalid_rating"
    default_message = _(
        "Vui lòng chấm đủ 9 tiêu chí (mỗi tiêu chí 0, 1 hoặc 2 điểm) và chọn mức độ hài lòng."
    )
