# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The reports of a window: JSON and Markdown per phase, and one self-contained HTML page per window.

Every object appears with what was planned for it, when it was quiesced and brought back, and why it
was skipped or failed. The HTML page has no external asset (inline CSS, no script), so it can be
attached to a change ticket or opened offline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import time
from html import escape

from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_record import SERVICES, objects, still_stopped


def _epoch(stamp):
    if not stamp:
        return None
    text = str(stamp).rstrip("Z")
    whole, dummy, fraction = text.partition(".")
    try:
        base = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None
    return base + (float("0." + fraction) if fraction.isdigit() else 0.0)


def _short(stamp):
    return str(stamp)[11:19] if stamp else "-"


PLAN_RANK = {"blocked": 0, "act": 1, "skipped": 2, "quiet": 3}


def rows(record):
    """One row per object (VIAS: per child task), with its times and outcome; acted-on objects first."""
    result = []
    for service, section, item, entry in objects(record):
        if entry is item:
            result.append(_row(service, section, item["name"], item["id"], item.get("status_before"), item, None))
        else:
            result.append(_row(service, section, "%s / %s" % (item["name"], entry["name"]), entry["id"],
                               entry.get("state_before"), entry, item))
    order = dict((s, n) for n, s in enumerate(record["order"]))
    return sorted(result, key=lambda r: (order.get(r["service"], 9), PLAN_RANK.get(r["plan"], 9)))


def _row(service, section, name, object_id, before, entry, parent):
    enter = entry.get("enter") or (parent or {}).get("enter") or {}
    leave = entry.get("exit") or (parent or {}).get("exit") or {}
    acted = entry.get("plan") == "act"
    quiesced = (enter.get("settled_at") or section.get("done_at", {}).get("enter")) if acted and enter else None
    restored = (leave.get("settled_at") or section.get("done_at", {}).get("exit")) if acted and leave else None
    after = next((side.get(key) for side in (leave, enter) for key in ("status_after", "state_after")
                  if side.get(key)), None)
    return {"service": service, "name": name, "id": object_id, "before": before, "plan": entry.get("plan"),
            "action": entry.get("action"), "reason": entry.get("reason"), "code": entry.get("code"),
            "enter_result": enter.get("result") if acted else None, "exit_result": leave.get("result") if acted else None,
            "error": leave.get("error_message") or enter.get("error_message"),
            "after": after, "quiesced_at": quiesced, "restored_at": restored,
            "delay_before": enter.get("delay_before"), "delay_after": leave.get("delay_after"),
            "minutes": round((_epoch(restored) - _epoch(quiesced)) / 60.0, 1) if quiesced and restored else None}


def summary(record):
    table = rows(record)
    return {"window_id": record["window_id"], "status": record["status"],
            "objects": len(table), "quiesced": sum(1 for r in table if r["plan"] == "act"),
            "restored": sum(1 for r in table if r["exit_result"] in ("changed", "unchanged")),
            "skipped": sum(1 for r in table if r["plan"] == "skipped"),
            "blocked": sum(1 for r in table if r["plan"] == "blocked"),
            "still_stopped": still_stopped(record) if record.get("exit_started_at") else []}


def json_report(record, phase, generated_at, paths):
    return {"phase": phase, "generated_at": generated_at, "paths": paths, "summary": summary(record),
            "objects": rows(record), "record": record}


def markdown(record, phase, generated_at, paths):
    info = summary(record)
    lines = ["# Maintenance window %s" % record["window_id"], "",
             "| | |", "|---|---|",
             "| status | %s |" % record["status"], "| step | %s |" % phase,
             "| created | %s |" % record.get("created_at"), "| entered | %s |" % (record.get("entered_at") or "-"),
             "| exit started | %s |" % (record.get("exit_started_at") or "-"),
             "| finished | %s |" % (record.get("finished_at") or "-"),
             "| objects | %d, quiesced %d, brought back %d, skipped %d |" % (
                 info["objects"], info["quiesced"], info["restored"], info["skipped"]),
             "| record | `%s` |" % paths.get("record"), "| generated | %s |" % generated_at, ""]
    if info["still_stopped"]:
        lines += ["**Still stopped:** %s" % "; ".join(info["still_stopped"]), ""]
    table = rows(record)
    for service in record["order"]:
        mine = [r for r in table if r["service"] == service]
        if not mine:
            continue
        lines += ["## %s" % SERVICES[service]["label"], "",
                  "| name | id | before | plan | quiesced | brought back | minutes | now | note |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for row in mine:
            note = "; ".join(n for n in (row["reason"] or row["error"], _delays(row)) if n)
            lines.append("| %s | `%s` | %s | %s | %s | %s | %s | %s | %s |" % (
                _md(row["name"]), row["id"], row["before"], _plan_word(row), _outcome(row, "enter"),
                _outcome(row, "exit"), "-" if row["minutes"] is None else row["minutes"], row["after"] or "-",
                _md(note)))
        lines.append("")
    lines += ["## Timeline", ""] + ["- %s %s" % (e["at"], e["what"]) for e in record.get("events", [])]
    return "\n".join(lines) + "\n"


def _delays(row):
    """DRS health gates: how far behind the replica was when paused, and once resumed."""
    parts = []
    if row.get("delay_before") is not None:
        parts.append("replication %.1f s behind when paused" % row["delay_before"])
    if row.get("delay_after") is not None:
        parts.append("%.1f s behind once resumed" % row["delay_after"])
    return ", ".join(parts)


def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _plan_word(row):
    return {"act": row["action"] or "quiesce", "quiet": "none (already quiet)", "skipped": "skipped",
            "blocked": "cannot be quiesced"}.get(row["plan"], row["plan"] or "-")


def _outcome(row, phase):
    stamp = row["quiesced_at" if phase == "enter" else "restored_at"]
    result = row["%s_result" % phase]
    if not result:
        return "-"
    return "%s %s" % (result, _short(stamp)) if stamp else result


STYLE = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2430;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6573;margin-bottom:16px}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{border:1px solid #d8dde4;border-radius:8px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:22px}.status{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff}
.finished,.entered{background:#2e7d32}.exit_failed,.enter_failed,.aborted{background:#c62828}
.entering,.exiting{background:#ef6c00}
table{border-collapse:collapse;width:100%;margin-top:6px}th,td{border-bottom:1px solid #e6e9ee;padding:4px 6px;
text-align:left;vertical-align:top}th{background:#f4f6f9;font-weight:600}code{font-size:12px;color:#5b6573}
.bar{position:relative;height:12px;background:#f0f2f5;border-radius:3px;min-width:180px}
.bar span{position:absolute;top:0;bottom:0;background:#1565c0;border-radius:3px}
.bar span.open{background:#ef6c00}.skipped td,.blocked td{background:#fff8e1}.failed td{background:#ffebee}
.alert{border-left:4px solid #c62828;background:#ffebee;padding:8px 12px;margin:12px 0}
"""


def html(record, generated_at, paths):
    info = summary(record)
    table = rows(record)
    starts = [_epoch(r["quiesced_at"]) for r in table if r["quiesced_at"]]
    ends = [_epoch(r["restored_at"]) for r in table if r["restored_at"]]
    first = min(starts) if starts else None
    last = max(ends + starts) if starts else None
    if first is not None and (not last or last <= first):
        last = first + 1
    out = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
           "<title>Maintenance window %s</title><style>%s</style></head><body>" % (escape(record["window_id"]), STYLE),
           "<h1>Maintenance window %s <span class=\"status %s\">%s</span></h1>" % (
               escape(record["window_id"]), escape(record["status"]), escape(record["status"])),
           "<div class=\"meta\">created %s &middot; entered %s &middot; exit started %s &middot; finished %s "
           "&middot; policy %s &middot; generated %s</div>" % tuple(escape(str(x or "-")) for x in (
               record.get("created_at"), record.get("entered_at"), record.get("exit_started_at"),
               record.get("finished_at"), record.get("policy"), generated_at)),
           "<div class=\"cards\">"]
    for label, value in (("objects", info["objects"]), ("quiesced", info["quiesced"]),
                         ("brought back", info["restored"]), ("skipped", info["skipped"]),
                         ("cannot be quiesced", info["blocked"])):
        out.append("<div class=\"card\"><b>%d</b>%s</div>" % (value, label))
    out.append("</div>")
    if info["still_stopped"]:
        out.append("<div class=\"alert\"><b>Still stopped:</b> %s</div>" % escape("; ".join(info["still_stopped"])))
    for service in record["order"]:
        mine = [r for r in table if r["service"] == service]
        if not mine:
            continue
        out.append("<h2>%s</h2><table><tr><th>name</th><th>id</th><th>before</th><th>plan</th><th>quiesced</th>"
                   "<th>brought back</th><th>minutes</th><th>timeline</th><th>now</th><th>note</th></tr>"
                   % escape(SERVICES[service]["label"]))
        for row in mine:
            css = "failed" if "failed" in (row["enter_result"], row["exit_result"]) else row["plan"] or ""
            out.append("<tr class=\"%s\"><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td>"
                       "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
                           css, escape(row["name"]), escape(row["id"]), escape(str(row["before"] or "-")),
                           escape(_plan_word(row)), escape(_outcome(row, "enter")), escape(_outcome(row, "exit")),
                           "-" if row["minutes"] is None else row["minutes"], _bar(row, first, last),
                           escape(str(row["after"] or "-")), escape(str(row["reason"] or row["error"] or ""))))
        out.append("</table>")
    out.append("<h2>Timeline</h2><table><tr><th>time (UTC)</th><th>what</th></tr>")
    out.extend("<tr><td>%s</td><td>%s</td></tr>" % (escape(str(e["at"])), escape(e["what"]))
               for e in record.get("events", []))
    out.append("</table><p class=\"meta\">Record: <code>%s</code></p></body></html>" % escape(str(paths.get("record"))))
    return "\n".join(out) + "\n"


def _bar(row, first, last):
    if not row["quiesced_at"] or first is None:
        return "<div class=\"bar\"></div>"
    start = _epoch(row["quiesced_at"])
    end = _epoch(row["restored_at"]) if row["restored_at"] else last
    left = 100.0 * (start - first) / (last - first)
    width = max(1.0, 100.0 * (end - start) / (last - first))
    css = "" if row["restored_at"] else " class=\"open\""
    return "<div class=\"bar\"><span%s style=\"left:%.1f%%;width:%.1f%%\"></span></div>" % (css, left, min(width, 100 - left))
