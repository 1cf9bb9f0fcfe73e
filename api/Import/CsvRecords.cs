using System.Runtime.CompilerServices;
using System.Text;

namespace SafetyNet.Api.Import;

/// <summary>One CSV record: the line it starts on, its fields, or why the file cannot be read past it.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, ImportRejection? Error = null);

/// <summary>
/// Reads RFC 4180 records, or tab-separated ones quoted the same way (Excel's "Unicode text"): a field that starts with
/// a double quote may hold delimiters, doubled quotes and line breaks (a name typed over two lines in Excel); a quote
/// inside an unquoted field is an ordinary character. A quoted field left open to the end of the file, or past
/// <see cref="MaxRecordChars"/>, ends the reading with an error record, since every line after it would otherwise be
/// read as part of one field.
/// </summary>
public static class CsvRecords
{
    public const int MaxRecordChars = 1024 * 1024;

    public static async IAsyncEnumerable<CsvRecord> ReadAsync(TextReader reader, char delimiter = ',', [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new char[16 * 1024];
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, recordChars = 0;
        bool quoted = false, closingQuote = false, fieldStart = true, afterCarriageReturn = false, recordHasText = false;

        CsvRecord EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            var record = new CsvRecord(recordLine, fields.ToArray());
            fields.Clear();
            fieldStart = true;
            recordHasText = false;
            return record;
        }

        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (afterCarriageReturn)
                {
                    afterCarriageReturn = false;
                    if (c == '\n') continue;
                }
                if (closingQuote)
                {
                    closingQuote = false;
                    if (c == '"')
                    {
                        field.Append('"');
                        continue;
                    }
                    quoted = false;
                }
                if (++recordChars > MaxRecordChars)
                {
                    yield return new CsvRecord(recordLine, [], ImportRejections.TooLong(recordLine, MaxRecordChars, quoted));
                    yield break;
                }
                if (c is '\r' or '\n')
                {
                    afterCarriageReturn = c == '\r';
                    line++;
                    if (quoted)
                    {
                        field.Append('\n');
                        continue;
                    }
                    if (recordHasText || fields.Count > 0) yield return EndRecord();
                    recordChars = 0;
                    recordLine = line;
                    continue;
                }
                recordHasText = true;
                if (quoted)
                {
                    if (c == '"') closingQuote = true;
                    else field.Append(c);
                    continue;
                }
                if (c == delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStart = true;
                    continue;
                }
                if (c == '"' && fieldStart) quoted = true;
                else field.Append(c);
                fieldStart = false;
            }
        }
        if (quoted && !closingQuote)
        {
            yield return new CsvRecord(recordLine, [], ImportRejections.QuoteNeverClosed(recordLine));
            yield break;
        }
        if (recordHasText || fields.Count > 0) yield return EndRecord();
    }
}
