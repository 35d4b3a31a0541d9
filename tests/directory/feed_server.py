"""A real HTTP server on localhost speaking Open Referral UK's read API from a feed held in memory.

Tests change `server.feed` (a dict like data/feed.json) between imports; `server.broken` makes one path
answer something that is not ORUK, to check a bad feed changes nothing."""

import copy
import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SAMPLE = Path(__file__).parent / "data" / "feed.json"


def sample_feed() -> dict:
    return json.loads(SAMPLE.read_text())


def _page(items: list, query: dict) -> dict:
    page = int(query.get("page", ["1"])[0])
    per_page = int(query.get("per_page", ["50"])[0])
    total_pages = max(math.ceil(len(items) / per_page), 1)
    contents = items[(page - 1) * per_page:page * per_page]
    return {"total_items": len(items), "total_pages": total_pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= total_pages, "empty": not contents, "contents": contents}


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, feed: dict, per_page: int = 2):
        self.feed = feed
        self.per_page = per_page  # small, so the importer must follow pages
        self.broken: dict[str, tuple[int, str]] = {}
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), FeedHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/oruk"


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        self.server.requests.append(self.path)
        if path in self.server.broken:
            return self._send(*self.server.broken[path])
        query.setdefault("per_page", [str(self.server.per_page)])
        query["per_page"] = [str(min(int(query["per_page"][0]), self.server.per_page))]
        feed = self.server.feed
        if path == "/oruk/services":
            listed = [{"id": s["id"], "name": s["name"], "status": s["status"]} for s in feed["services"]]
            return self._send(200, json.dumps(_page(listed, query)))
        if path.startswith("/oruk/services/"):
            wanted = path.removeprefix("/oruk/services/")
            for service in feed["services"]:
                if service["id"] == wanted:
                    return self._send(200, json.dumps(service))
            return self._send(404, json.dumps({"code": 404, "message": "not found"}))
        if path == "/oruk/taxonomies":
            return self._send(200, json.dumps(_page(feed["taxonomies"], query)))
        if path == "/oruk/taxonomy_terms":
            return self._send(200, json.dumps(_page(feed["taxonomy_terms"], query)))
        return self._send(404, json.dumps({"code": 404, "message": "not found"}))


def start(feed: dict | None = None) -> FeedServer:
    server = FeedServer(copy.deepcopy(feed or sample_feed()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
