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
        var oldest = Enumerable.Range(10, WriterHeadNote.MaxCarried).Select(seq => Head(seq));
        Assert.Equal([.. oldest, Head(10 + WriterHeadNote.MaxCarried + 1)], last.Unchecked);
    }

    [Fact]
    public void The_first_move_of_the_head_stays_in_every_note_after_checks_until_the_file_is_removed()
    {
        var move = new HeadMove(Head(5), Head(9));
        using (var first = Open())
        {
            first.Record(Head(5));
            first.Moved(move);
            first.Record(Head(10));
            first.Moved(new HeadMove(Head(10), Head(12)));
            Assert.Equal(move, first.Move);
        }
        using (var second = Open())
        {
            Assert.Equal(move, second.Move);
            Assert.Equal([Head(10)], second.Unchecked);
            second.Checked();
            second.Record(Head(11));
        }
        using (var third = Open())
        {
            Assert.Equal(move, third.Move);
            Assert.Equal([Head(11)], third.Unchecked);
        }

        File.Delete(_path);
        using var afterRemoval = Open();
        Assert.Null(afterRemoval.Move);
    }

    [Fact]
    public void A_move_found_before_any_commit_is_noted_with_the_head_the_writer_had_left()
    {
        using (var first = Open()) first.Moved(new HeadMove(Head(7), Head(8)));
        using var second = Open();
        Assert.Equal(new HeadMove(Head(7), Head(8)), second.Move);
        Assert.Equal([Head(7)], second.Unchecked);
    }

    [Fact]
    public void A_file_of_garbage_is_no_note()
    {
        File.WriteAllBytes(_path, Enumerable.Range(0, 1024).Select(i => (byte)(i * 37)).ToArray());
        using var note = Open();
        Assert.Empty(note.Unchecked);
    }
}
