"""What a public read-only API does not show: debug pages and server paths.

Datasette 0.65 serves its debug and account pages to everyone (``/-/threads``,
``/-/actor``, ``/-/permissions``, ``/-/messages``, ``/-/allow-debug``, ``/-/patterns``,
``/-/auth-token``, ``/-/logout``) and names the server's files and software
(``/-/databases`` lists each file's path, ``/-/versions`` and ``/-/plugins`` every
version and compile option). Plugin routes are tried before Datasette's own, so these
answer 404 here, and ``/-/databases`` lists the databases without their paths.
(``pragma_database_list`` is handled by ``ifex_limits``.)
"""

from __future__ import annotations

from datasette.utils.asgi import NotFound, Response

from datasette import hookimpl

CLOSED = ("threads", "actor", "permissions", "messages", "allow-debug", "patterns",
          "auth-token", "logout", "versions", "plugins")
"""``/-/<name>`` (and ``.json``) pages that answer 404."""
DATABASE_FIELDS = ("name", "route", "size", "is_mutable", "is_memory", "hash")


async def closed(request):
    raise NotFound("Not found")


def databases(datasette):
    async def view(request):
        return Response.json([{k: getattr(db, k) for k in DATABASE_FIELDS}
                              for name, db in datasette.databases.items()
                              if name != "_internal"])
    return view


@hookimpl
def register_routes(datasette):
    pattern = "|".join(name.replace("-", r"\-") for name in CLOSED)
    return [(rf"^/-/({pattern})(\.json)?$", closed),
            (r"^/-/databases(\.json)?$", databases(datasette))]
