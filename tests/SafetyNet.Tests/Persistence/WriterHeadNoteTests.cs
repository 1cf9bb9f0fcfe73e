using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Tests.Persistence;

/// <summary>The audit writer's head note: what a node's next run reads back from the file its writer noted heads in.</summary>
public sealed class WriterHeadNoteTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("safetynet-note-").FullName, "audit-witness.head");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    private WriterHeadNote Open() => new(_path, NullLogger<WriterHeadNote>.Instance);

    private static ShardHead Head(long seq) => new("0123456789abcdef", seq, Convert.ToHexStringLower(BitConverter.GetBytes(seq).Concat(new byte[24]).ToArray()));

    [Fact]
    public void A_new_note_has_nothing_to_check_and_the_next_run_reads_the_last_head_noted()
    {
        using (var first = Open())
        {
            Assert.Empty(first.Unchecked);
            for (var seq = 1; seq <= 5; seq++) first.Record(Head(seq));
        }
        using var second = Open();
        Assert.Equal([Head(5)], second.Unchecked);
    }

    [Fact]
    public void A_note_torn_by_a_crash_leaves_the_one_before_it()
    {
        using (var first = Open())
            for (var seq = 1; seq <= 4; seq++) first.Record(Head(seq));
        using (var file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite))
        {
            // The fourth note went to the first slot (notes alternate, starting with the second); tear it halfway.
            file.Position = 20;
            file.Write(Enumerable.Repeat((byte)0xff, 40).ToArray());
        }
        using var second = Open();
        Assert.Equal([Head(3)], second.Unchecked);
    }

    [Fact]
    public void An_earlier_runs_head_stays_in_every_note_until_it_is_checked()
    {
        using (var first = Open()) first.Record(Head(15));
        using (var second = Open())
        {
            second.Record(Head(16));
            second.Record(Head(18));
        }
        using (var third = Open())
        {
            Assert.Equal([Head(15), Head(18)], third.Unchecked);
            third.Checked();
            third.Record(Head(19));
        }
        using var fourth = Open();
        Assert.Equal([Head(19)], fourth.Unchecked);
    }

    [Fact]
    public void Runs_that_never_get_their_rows_checked_carry_the_oldest_heads_up_to_the_limit()
    {
        using (var first = Open()) first.Record(Head(10));
        for (var run = 1; run <= WriterHeadNote.MaxCarried + 1; run++)
        {
            using var next = Open();
            next.Record(Head(10 + run));
        }
        using var last = Open();
        Assert.Equal([Head(10), Head(11), Head(12), Head(13), Head(15)], last.Unchecked);
    }

    [Fact]
    public void A_file_of_garbage_is_no_note()
    {
        File.WriteAllBytes(_path, Enumerable.Range(0, 512).Select(i => (byte)(i * 37)).ToArray());
        using var note = Open();
        Assert.Empty(note.Unchecked);
    }
}
