using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// The last head this node's writer committed, noted after every commit in a small memory-mapped file beside the witness,
/// out of the database's reach like the witness. The node's next run reads it back before it writes (<see cref="Unchecked"/>):
/// the rows a run wrote after its last checkpoint and then left behind in a crash must still lead to exactly that head, so
/// an insider who rewrote them consistently while the node was down is refused rather than signed over.
/// </summary>
/// <remarks>
/// A note is a store into mapped memory, not a system call, so the commit path barely notices it. The kernel keeps the page
/// when the process dies (a crash, kill -9) and writes it out in its own time, so only a crash of the machine itself can
/// lose the last notes; the rows after the note are then signed as found, as before. Two slots are written in turn, each
/// with a checksum, so a note torn by a crash leaves the one before it. Until the checkpointer has checked the earlier runs'
/// rows (<see cref="Checked"/>), every note carries their heads too, oldest first and up to <see cref="MaxCarried"/>: a
/// run's head vouches for the rows it wrote as it wrote them, so a restart after a refusal, or a run that crashed before
/// its first check, cannot launder a rewrite that only an older head reveals. A <see cref="Move"/> of the head under the
/// running writer stays in every later note until an operator removes the file: the checkpointer refuses such rows in
/// the run that found them, and would otherwise sign them in the next.
/// </remarks>
public sealed class WriterHeadNote : IDisposable
{
    /// <summary>Earlier runs' heads a note carries besides its own; beyond that, the newest of them give way.</summary>
    public const int MaxCarried = 8;

    private const int SlotBytes = 512;
    private const int ChecksumAt = SlotBytes - sizeof(ulong);
    private const int HeadBytes = sizeof(long) + HashBytes;
    private const int HashBytes = 32;
    private const int HeadAt = 8;
    private const int CarriedCountAt = HeadAt + HeadBytes;
    private const int CarriedAt = CarriedCountAt + 1;
    private const int MoveAt = CarriedAt + MaxCarried * HeadBytes;
    private const int ShardAt = MoveAt + 1 + 2 * HeadBytes;
    private const int MaxShardBytes = ChecksumAt - ShardAt - 1;

    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte[] _slot = new byte[SlotBytes];
    private long _count;
    private volatile IReadOnlyList<ShardHead> _unchecked = [];
    private volatile HeadMove? _move;
    private ShardHead? _head;

    public WriterHeadNote(string path, ILogger<WriterHeadNote> logger)
    {
        FilePath = path;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _file = MemoryMappedFile.CreateFromFile(path, FileMode.OpenOrCreate, null, 2 * SlotBytes, MemoryMappedFileAccess.ReadWrite);
            _view = _file.CreateViewAccessor(0, 2 * SlotBytes);
            var newest = Enumerable.Range(0, 2).Select(ReadSlot).Where(s => s is not null).MaxBy(s => s!.Value.Count);
            if (newest is { } note)
            {
                _count = note.Count;
                _unchecked = note.Heads;
                _head = note.Heads[^1];
                _move = note.Move;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "The audit writer's head note {Path} cannot be used; rows written after the last checkpoint before a crash will be signed as found at the next start", path);
        }
    }

    /// <summary>The note beside the witness file (<c>audit-witness.head</c> for <c>audit-witness.jsonl</c>).</summary>
    public static WriterHeadNote BesideWitness(IOptions<AuditCheckpointOptions> options, ILogger<WriterHeadNote> logger) =>
        new(Path.ChangeExtension(options.Value.WitnessPath, ".head"), logger);

    public string FilePath { get; }

    /// <summary>Heads an earlier run noted that the stored rows have not yet been found to lead to, oldest first.</summary>
    public IReadOnlyList<ShardHead> Unchecked => _unchecked;

    /// <summary>The first time the head moved under this node's writer, in this run or an earlier one; null when it never did.</summary>
    public HeadMove? Move => _move;

    /// <summary>Called by the writer after every commit (one at a time).</summary>
    public void Record(ShardHead head)
    {
        _head = head;
        Write(head);
    }

    /// <summary>Called by the writer when it finds its head moved (<see cref="WrittenRange.LeftAt"/>); the first move is kept.</summary>
    public void Moved(HeadMove move)
    {
        if (_move is { } first && first.LeftAt.Shard == move.LeftAt.Shard) return;
        _move = move;
        Write(_head is { } head && head.Shard == move.LeftAt.Shard ? head : move.LeftAt);
    }

    private void Write(ShardHead head)
    {
        // Shard ids are 16 hex characters and hashes 64 hex digits: anything else is not noted rather than fail a committed batch.
        if (_view is null || Encoding.UTF8.GetByteCount(head.Shard) > MaxShardBytes) return;
        var carried = _unchecked;
        var slot = _slot.AsSpan();
        slot.Clear();
        if (!TryWrite(slot[HeadAt..], head)) return;
        var count = 0;
        for (var i = 0; i < carried.Count && count < MaxCarried; i++)
            if (carried[i].Shard == head.Shard && TryWrite(slot[(CarriedAt + count * HeadBytes)..], carried[i]))
                count++;
        slot[CarriedCountAt] = (byte)count;
        if (_move is { } move && move.LeftAt.Shard == head.Shard && TryWrite(slot[(MoveAt + 1)..], move.LeftAt) && TryWrite(slot[(MoveAt + 1 + HeadBytes)..], move.Found))
            slot[MoveAt] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(slot, ++_count);
        var shard = Encoding.UTF8.GetBytes(head.Shard, slot[(ShardAt + 1)..ChecksumAt]);
        slot[ShardAt] = (byte)shard;
        BinaryPrimitives.WriteUInt64LittleEndian(slot[ChecksumAt..], Checksum(slot[..ChecksumAt]));
        try
        {
            _view.WriteArray(_count % 2 * SlotBytes, _slot, 0, SlotBytes);
        }
        catch (ObjectDisposedException)
        {
            // A batch committed while the node is being torn down: the note is closed, and the batch is durable all the same.
        }
    }

    /// <summary>The checkpointer found the stored rows to lead to every head in <see cref="Unchecked"/>: later notes drop them (not the <see cref="Move"/>).</summary>
    public void Checked() => _unchecked = [];

    public void Dispose()
    {
        _view?.Flush();
        _view?.Dispose();
        _file?.Dispose();
    }

    private static bool TryWrite(Span<byte> at, ShardHead head)
    {
        BinaryPrimitives.WriteInt64LittleEndian(at, head.Seq);
        return head.Hash.Length == 2 * HashBytes
               && Convert.FromHexString(head.Hash, at.Slice(sizeof(long), HashBytes), out _, out var written) == System.Buffers.OperationStatus.Done
               && written == HashBytes;
    }

    /// <summary>A slot's number, heads (the carried ones oldest first, then its own) and move, or null when it is empty or torn.</summary>
    private (long Count, IReadOnlyList<ShardHead> Heads, HeadMove? Move)? ReadSlot(int index)
    {
        var slot = new byte[SlotBytes];
        _view!.ReadArray(index * SlotBytes, slot, 0, SlotBytes);
        var span = slot.AsSpan();
        var count = BinaryPrimitives.ReadInt64LittleEndian(span);
        var shardBytes = span[ShardAt];
        var carried = span[CarriedCountAt];
        if (count <= 0 || shardBytes is 0 or > MaxShardBytes || carried > MaxCarried || span[MoveAt] > 1
            || BinaryPrimitives.ReadUInt64LittleEndian(span[ChecksumAt..]) != Checksum(span[..ChecksumAt]))
            return null;
        var shard = Encoding.UTF8.GetString(span.Slice(ShardAt + 1, shardBytes));
        var heads = Enumerable.Range(0, carried).Select(i => Read(slot.AsSpan(CarriedAt + i * HeadBytes), shard)).ToList();
        heads.Add(Read(span[HeadAt..], shard));
        var move = span[MoveAt] == 1 ? new HeadMove(Read(span[(MoveAt + 1)..], shard), Read(span[(MoveAt + 1 + HeadBytes)..], shard)) : null;
        return (count, heads, move);
    }

    private static ShardHead Read(ReadOnlySpan<byte> at, string shard) =>
        new(shard, BinaryPrimitives.ReadInt64LittleEndian(at), Convert.ToHexStringLower(at.Slice(8, HashBytes)));

    /// <summary>FNV-1a: enough to tell a whole note from one torn by a crash; the file's integrity rests on where it lives.</summary>
    private static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
