using System.Globalization;
using System.Net;
using System.Text;

namespace SafetyNet.Grains.Reviews;

/// <summary>
/// A report as one printable HTML page (no scripts, no external resources) in Korean or English. The footer prints
/// the canonical JSON's SHA-256 and signature so a paper copy can be checked against the stored report.
/// </summary>
public static class ReviewHtml
{
    public static byte[] Render(ReviewReport r, string lang, string documentSha256, string documentSignature)
    {
        var ko = lang == "ko";
        string L(string english, string korean) => E(ko ? korean : english);
        var html = new StringBuilder();
        void Cells(string tag, params object?[] cells)
        {
            html.Append("<tr>");
            foreach (var cell in cells) html.Append('<').Append(tag).Append('>').Append(cell is Raw raw ? raw.Html : E(Text(cell))).Append("</").Append(tag).Append('>');
            html.Append("</tr>\n");
        }
        var district = ko ? r.DistrictName : r.DistrictNameEnglish;
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{(ko ? "ko" : "en")}}">
            <head>
            <meta charset="utf-8">
            <title>{{L("Monthly CCTV viewing review", "CCTV 열람 월간 점검")}} — {{E(district)}} {{E(r.Month)}}</title>
            <style>
            body { font-family: "Noto Sans KR", "Malgun Gothic", system-ui, sans-serif; margin: 2em; color: #111; font-size: 11pt; }
            h1 { font-size: 16pt; margin-bottom: 0.2em; }
            h2 { font-size: 13pt; margin-top: 1.4em; border-bottom: 1px solid #999; }
            table { border-collapse: collapse; width: 100%; margin-top: 0.4em; }
            th, td { border: 1px solid #bbb; padding: 2px 5px; text-align: left; vertical-align: top; font-size: 9pt; }
            th { background: #eee; }
            .ok { color: #0a6b0a; font-weight: bold; } .bad { color: #b00020; font-weight: bold; }
            .interim { border: 2px solid #b00020; padding: 0.4em; }
            .signature { font-family: monospace; font-size: 8pt; word-break: break-all; }
            @page { size: A4; margin: 15mm; }
            @media print { body { margin: 0; } tr { break-inside: avoid; } thead { display: table-header-group; } }
            </style>
            </head>
            <body>
            <h1>{{L("Monthly CCTV viewing review", "CCTV 열람 월간 점검")}}: {{E(district)}} ({{E(r.District)}}), {{E(r.Month)}}</h1>
            <p>{{L("Period (Seoul time)", "기간 (서울 시각)")}}: {{E(ReviewCsv.Time(r.From))}} – {{E(ReviewCsv.Time(r.To))}}. {{L("Produced", "작성")}}: {{E(ReviewCsv.Time(r.ProducedAt))}} ({{E(r.Trigger)}}, {{E(r.ProducedBy)}}).</p>

            """);
        if (r.Interim) html.Append("<p class=\"interim\">").Append(L("Interim report: the month is not over; it is not stored.", "중간 보고서: 해당 월이 끝나지 않아 보관되지 않습니다.")).Append("</p>\n");

        var t = r.Totals;
        html.Append("<h2>").Append(L("Summary", "요약")).Append("</h2>\n<table>\n");
        Cells("th", Label(ko, "Views", "열람"), Label(ko, "Leases", "스트림"), Label(ko, "Snapshots", "스냅샷"), Label(ko, "Played", "재생"),
            Label(ko, "Denied", "거부"), Label(ko, "Time viewed", "열람 시간"), Label(ko, "Cameras", "카메라"), Label(ko, "Agencies", "기관"),
            Label(ko, "Flags raised", "경보 발생"), Label(ko, "Flags resolved", "경보 처리"));
        Cells("td", t.Views, t.Leases, t.Snapshots, t.Played, t.Denied, Duration(t.SecondsViewed), t.Cameras, t.Agencies, r.Flags.Raised, r.Flags.Resolved);
        html.Append("</table>\n");

        html.Append("<h2>").Append(L("Views per agency", "기관별 열람")).Append("</h2>\n<table>\n");
        Cells("th", Label(ko, "Agency", "기관"), Label(ko, "Views", "열람"), Label(ko, "Leases", "스트림"), Label(ko, "Snapshots", "스냅샷"),
            Label(ko, "Time viewed", "열람 시간"), Label(ko, "Cameras", "카메라"));
        foreach (var a in r.ByAgency) Cells("td", a.AgencyId, a.Views, a.Leases, a.Snapshots, Duration(a.SecondsViewed), a.Cameras);
        html.Append("</table>\n");

        html.Append("<h2>").Append(L("Who viewed which camera", "카메라별 열람자")).Append("</h2>\n<table>\n<thead>");
        Cells("th", "#", Label(ko, "Camera", "카메라"), Label(ko, "Agency", "기관"), Label(ko, "Operator", "열람자"), Label(ko, "Rule", "근거"),
            Label(ko, "Incident", "사건"), Label(ko, "Purpose", "목적"), Label(ko, "Start", "시작"), Label(ko, "End", "종료"), Label(ko, "Duration", "시간"));
        html.Append("</thead>\n");
        foreach (var v in r.Viewings)
            Cells("td", v.Seq, v.CameraId, v.AgencyId, v.Actor, v.Rule, v.IncidentId, v.Justification is null ? v.Purpose : $"{v.Purpose}: {v.Justification}",
                ReviewCsv.Time(v.Start), v.End is { } end ? $"{ReviewCsv.Time(end)} ({v.EndedBy})" : v.EndedBy,
                v.Kind == Contracts.Audit.AuditKinds.Snapshot ? L("snapshot", "스냅샷") : v.DurationSeconds is { } d ? Duration(d) : "");
        html.Append("</table>\n");

        html.Append("<h2>").Append(L("Misuse flags", "오남용 경보")).Append("</h2>\n<table>\n");
        Cells("th", Label(ko, "Flag", "경보"), Label(ko, "Rule", "규칙"), Label(ko, "Raised", "발생"), Label(ko, "Resolved", "처리"), Label(ko, "By", "처리자"));
        foreach (var f in r.Flags.Items)
            Cells("td", f.FlagId, f.Rule, f.RaisedAt is { } raised ? ReviewCsv.Time(raised) : "", f.ResolvedAt is { } resolved ? ReviewCsv.Time(resolved) : "", f.ResolvedBy);
        html.Append("</table>\n");

        var c = r.Chain;
        html.Append("<h2>").Append(L("Ledger verification", "감사 기록 검증")).Append("</h2>\n<p>");
        html.Append(c.Intact ? $"<span class=\"ok\">{L("Intact", "무결")}</span>" : $"<span class=\"bad\">{L("Broken", "손상")}</span>");
        html.Append(CultureInfo.InvariantCulture, $" — {L("rows", "행")} {c.FirstSeq}–{c.LastSeq}; ");
        html.Append(c.CoveredBySignedCheckpoint
            ? L("covered by signed checkpoint", "서명된 체크포인트로 보증됨") + E($" (row {c.CheckpointSeq}, key {c.CheckpointKeyId}, {(c.CheckpointSignedAt is { } at ? ReviewCsv.Time(at) : "")})")
            : L("not yet covered by a signed checkpoint", "서명된 체크포인트로 아직 보증되지 않음"));
        if (c.Problem is not null) html.Append(": ").Append(E(c.Problem));
        html.Append("</p>\n");

        html.Append("<h2>").Append(L("Signature", "전자서명")).Append("</h2>\n<p class=\"signature\">");
        html.Append(L("SHA-256 of the report's JSON", "보고서 JSON의 SHA-256")).Append(": ").Append(E(documentSha256)).Append("<br>\n");
        html.Append(L("Signature of that JSON (key id:base64)", "JSON 서명 (키 ID:base64)")).Append(": ").Append(E(documentSignature)).Append("<br>\n");
        html.Append(L("This page's own signature is on its last line. Verify with POST /api/v1/audit/reviews/verify or offline as in README (Monthly review).",
            "이 페이지의 서명은 마지막 줄에 있습니다. POST /api/v1/audit/reviews/verify 또는 README(월간 점검)의 오프라인 방법으로 검증하십시오."));
        html.Append("</p>\n</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    private sealed record Raw(string Html);

    private static Raw Label(bool ko, string english, string korean) => new(E(ko ? korean : english));

    private static string Duration(long seconds) => TimeSpan.FromSeconds(seconds).ToString(seconds >= 86400 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string? Text(object? value) => value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
