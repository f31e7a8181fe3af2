"""Local fakes of the national systems (portal, payment platform, e-ID, SMS, mail).

Each fake is a small WSGI application that speaks the real system's protocol, so that
the demo and the tests run offline against a real HTTP peer instead of a mock. A fake
is registered in ``settings.FAKE_SERVERS`` by name::

    FAKE_SERVERS = {"portal": {"app": "motcua.integration.adapters.dvcqg.fake.make_app",
                               "port": 8101}}

``app`` is the dotted path of a factory that takes no argument and returns the WSGI
application (it may read settings); ``port`` is where ``motcua fake NAME`` and
``motcua demo`` serve it. Tests start a fake on a free port in a thread with
``FakeServer`` (or the ``fake_server`` fixture) and point the adapter's URL setting at
``server.url``. Fakes keep their state in memory unless they say otherwise.
"""

from motcua.integration.fakes.server import FakeServer, fake_spec, serve_fake

__all__ = ["FakeServer", "fake_spec", "serve_fake"]
