namespace SafetyNet.Contracts.Audit;

/// <summary>
/// One RFC 4180 CSV cell. A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with a
/// quote, since operators' names and justifications are typed by people and audit files are opened in spreadsheets.
/// </summary>
public static class CsvCell
{
    public static string Of(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
