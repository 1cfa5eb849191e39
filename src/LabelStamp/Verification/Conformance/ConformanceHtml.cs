using System.Net;
using System.Text;

namespace LabelStamp.Verification.Conformance;

/// <summary>
/// The conformance reports as one self-contained HTML page (`verify --report FILE.html`, the page's
/// download): inline CSS, no script, no external resource, so it opens offline and can be archived as
/// evidence. Every text from a file (names, field values) is HTML-encoded.
/// </summary>
public static class ConformanceHtml
{
    public static string Render(IReadOnlyList<ConformanceReport> reports, DateTimeOffset? when = null)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>LabelStamp conformance report</title><style>")
            .Append("body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}")
            .Append("h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;word-break:break-all}")
            .Append("table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}")
            .Append("td.s{white-space:nowrap;font-weight:600}.pass{color:#0a6b2d}.fail{color:#a4161a}.not-applicable{color:#555}.not-measured{color:#8a5a00}")
            .Append(".counts span{margin-right:1rem}code{font-size:.9em}@media (max-width:40rem){td:nth-child(2),th:nth-child(2){display:none}}")
            .Append("</style></head><body>\n<h1>LabelStamp conformance report</h1>\n<p>Each row is computed from what <code>labelstamp verify</code> measured in the file. ")
            .Append("<strong>not-measured</strong> means verify could not make the check; it is not a pass.");
        if (when is { } t) html.Append(" Made ").Append(E(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))).Append('.');
        html.Append("</p>\n");
        foreach (var r in reports)
        {
            html.Append("<section><h2>").Append(E(r.File)).Append(" <small>(").Append(E(r.Format ?? "unreadable"))
                .Append(r.Kind is null ? "" : ", " + E(r.Kind)).Append(")</small></h2>\n<p class=\"counts\">");
            foreach (var s in Enum.GetValues<ConformanceStatus>())
                html.Append("<span class=\"").Append(ConformanceRules.Word(s)).Append("\">").Append(r.Count(s)).Append(' ').Append(ConformanceRules.Word(s)).Append("</span>");
            html.Append("</p>\n<table><thead><tr><th>check</th><th>rule</th><th>requirement</th><th>status</th><th>evidence</th></tr></thead><tbody>\n");
            foreach (var c in r.Checks)
            {
                string word = ConformanceRules.Word(c.Status);
                html.Append("<tr><td><code>").Append(E(c.Id)).Append("</code></td><td>").Append(E(c.Rule)).Append("</td><td>").Append(E(c.Requirement))
                    .Append("</td><td class=\"s ").Append(word).Append("\">").Append(word).Append("</td><td>").Append(E(c.Evidence)).Append("</td></tr>\n");
            }
            html.Append("</tbody></table></section>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
