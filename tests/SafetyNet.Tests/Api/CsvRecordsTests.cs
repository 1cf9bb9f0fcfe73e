using SafetyNet.Api.Import;

namespace SafetyNet.Tests.Api;

/// <summary>RFC 4180 records as spreadsheets write them, numbered by the line each starts on.</summary>
public sealed class CsvRecordsTests
{
    private static async Task<List<CsvRecord>> ReadAsync(string text, char delimiter = ',')
    {
        var records = new List<CsvRecord>();
        await foreach (var record in CsvRecords.ReadAsync(new StringReader(text), delimiter)) records.Add(record);
        return records;
    }

    [Fact]
    public async Task Tab_separated_records_are_quoted_the_same_way_and_a_comma_is_an_ordinary_character()
    {
        var records = await ReadAsync("id\tname\r\ncam-1\t\"Sejong-daero, \tnorth\"\tx\r\n", '\t');
        Assert.Equal(["id", "name"], records[0].Fields);
        Assert.Equal(["cam-1", "Sejong-daero, \tnorth", "x"], records[1].Fields);
    }

    [Fact]
    public async Task Quoted_fields_hold_commas_doubled_quotes_and_line_breaks_and_later_records_keep_their_line_numbers()
    {
        var records = await ReadAsync("id,name\r\na,\"City Hall, east\"\r\nb,\"Dorim \"\"stream\"\" bridge\"\r\nc,\"first floor\r\nsecond floor\"\r\nd,last");
        Assert.Equal([1, 2, 3, 4, 6], records.Select(r => r.Line));
        Assert.Equal(["a", "City Hall, east"], records[1].Fields);
        Assert.Equal(["b", "Dorim \"stream\" bridge"], records[2].Fields);
        Assert.Equal(["c", "first floor\nsecond floor"], records[3].Fields);
        Assert.Equal(["d", "last"], records[4].Fields);
        Assert.All(records, r => Assert.Null(r.Error));
    }

    [Fact]
    public async Task A_quote_inside_an_unquoted_field_is_a_character_and_does_not_swallow_the_next_line()
    {
        var records = await ReadAsync("cam-1,12\" dome,x\ncam-2,plain,y\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(["cam-1", "12\" dome", "x"], records[0].Fields);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_and_empty_fields_kept()
    {
        var records = await ReadAsync("a,,c\n\n\r\n,\n");
        Assert.Equal([1, 4], records.Select(r => r.Line));
        Assert.Equal(["a", "", "c"], records[0].Fields);
        Assert.Equal(["", ""], records[1].Fields);
    }

    [Fact]
    public async Task A_doubled_quote_split_across_the_read_buffer_is_still_one_quote()
    {
        const int buffer = 16 * 1024;
        var text = "\"" + new string('x', buffer - 2) + "\"\"y\",z\n";
        Assert.Equal('"', text[buffer - 1]);
        var records = await ReadAsync(text);
        Assert.Equal([new string('x', buffer - 2) + "\"y", "z"], records.Single().Fields);
    }

    [Fact]
    public async Task A_quoted_field_never_closed_ends_the_reading_with_an_error_at_its_line()
    {
        var records = await ReadAsync("id,name\na,\"open\nb,ok\nc,ok\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(ImportRejections.QuoteUnclosed, records[1].Error?.Code);
        Assert.Contains("never closed", records[1].Error?.Reason);
        Assert.Contains("line 2", records[1].Error?.Reason);
    }

    [Fact]
    public async Task A_record_longer_than_the_limit_ends_the_reading_instead_of_filling_memory()
    {
        var records = await ReadAsync("id\n\"" + new string('x', CsvRecords.MaxRecordChars + 10) + "\n\"\nnext\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(ImportRejections.RecordTooLong, records[1].Error?.Code);
        Assert.Contains("longer than", records[1].Error?.Reason);
        Assert.Contains("never closed", records[1].Error?.Reason);
    }
}
