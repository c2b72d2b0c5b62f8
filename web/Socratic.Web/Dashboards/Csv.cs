// RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF, quotes doubled inside.
// Numbers are written invariantly (a dot, no thousands separator); a null is an empty field. Text that a
// spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe, because game
// and suite names are typed by users.
using System.Globalization;
using System.Text;

namespace Socratic.Web.Dashboards;

public static class Csv
{
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var sb = new StringBuilder();
        Line(sb, [.. header]);
        foreach (var row in rows)
        {
            Line(sb, row);
        }

        return sb.ToString();
    }

    public static string Field(object? value) => value switch
    {
        null => "",
        string s => Quote(Defuse(s)),
        double d => double.IsFinite(d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : "",
        float x => Field((double)x),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(Defuse(value.ToString() ?? "")),
    };

    private static void Line(StringBuilder sb, IReadOnlyList<object?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(Field(fields[i]));
        }

        sb.Append("\r\n");
    }

    private static string Defuse(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
