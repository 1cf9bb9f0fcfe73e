using System.Globalization;
using System.Text;

namespace SafetyNet.Bench.Measurement;

/// <summary>A markdown table built row by row and printed in one piece.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Add(params object[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.");
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"| {string.Join(" | ", headers)} |");
        text.AppendLine($"|{string.Concat(headers.Select(_ => "---|"))}");
        foreach (var row in _rows) text.AppendLine($"| {string.Join(" | ", row)} |");
        return text.ToString();
    }

    public static string Format(object cell) => cell switch
    {
        double d => d.ToString(d >= 1000 ? "N0" : d >= 10 ? "F1" : "F3", CultureInfo.InvariantCulture),
        long or int => string.Format(CultureInfo.InvariantCulture, "{0:N0}", cell),
        _ => cell.ToString() ?? "",
    };
}
