using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// What the checkpointer signs, on a real SQLite ledger with the real writer: the head the writer chained in memory, and
/// rows it did not chain itself (an earlier run's, after that run's last checkpoint) only once they are found to follow
/// from that checkpoint. The checkpointers sign at start (their timer is an hour), and once more when stopped.
/// </summary>
public sealed class AuditCheckpointerTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("safetynet-checkpointer-").FullName;
    private readonly IOptions<AuditCheckpointOptions> _options;
    private SafetyNetDatabase _database = null!;

    public AuditCheckpointerTests() => _options = Options.Create(new AuditCheckpointOptions
    {
        SigningKeyPath = Path.Combine(_data, "audit-checkpoint-key.pem"), WitnessPath = Path.Combine(_data, "audit-witness.jsonl"),
        CheckpointInterval = TimeSpan.FromHours(1),
    });

    public async Task InitializeAsync()
    {
        _database = SafetyNetDatabase.ForSqliteFile(Path.Combine(_data, "safetynet.db"));
        await new SchemaMigrator(_database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_head_the_writer_chained_is_signed_even_when_the_database_says_otherwise()
    {
        var shard = LedgerShard.New();
        await using var writer = Writer(shard);
        await writer.AppendBatchAsync(Entries(12), CancellationToken.None);
        await RewriteHeadRowAsync(shard.Id, seq: 12, hash: new string('a', 64));

        var log = await CheckpointUntilAsync(shard, writer, _ => Witnessed().Any(c => c.Seq == 12), "a checkpoint at row 12");

        var signed = Witnessed().Last();
        Assert.Equal((12L, writer.Written!.Head.Hash), (signed.Seq, signed.EntryHash));
        Assert.Contains(log.GetSnapshot(), r => r.Level == LogLevel.Critical && r.Message.Contains("disagrees with row 12 that this node wrote last"));
    }

    [Fact]
    public async Task Rows_an_earlier_run_wrote_after_its_last_checkpoint_are_checked_then_the_new_writers_head_is_signed()
    {
        var shard = await EarlierRunAsync();
        var resumed = Resumed();
        Assert.Equal((shard.Id, 10L), (resumed.Id, resumed.Tip!.Seq));
        await using var second = Writer(resumed);
        await second.AppendBatchAsync(Entries(3), CancellationToken.None);
        Assert.Equal((15L, 18L), (second.Written!.Base.Seq, second.Written.Head.Seq));

        await CheckpointUntilAsync(resumed, second, _ => Witnessed().Any(c => c.Seq == 18), "a checkpoint at row 18");

        var signed = Witnessed().Last();
        Assert.Equal((18L, second.Written.Head.Hash), (signed.Seq, signed.EntryHash));
    }

    [Fact]
    public async Task Rows_an_earlier_run_wrote_that_no_longer_follow_from_its_last_checkpoint_are_not_signed()
    {
        var shard = await EarlierRunAsync();
        await ExecuteAsync("DROP TRIGGER trg_audit_ledger_no_update; UPDATE audit_ledger SET outcome = 'deny' WHERE shard = $shard AND shard_seq = 12", ("$shard", shard.Id));
        var resumed = Resumed();
        await using var second = Writer(resumed);
        await second.AppendBatchAsync(Entries(3), CancellationToken.None);

        await CheckpointUntilAsync(resumed, second, log => log.GetSnapshot().Any(r => r.Level == LogLevel.Critical), "a complaint");

        Assert.Equal(10, Witnessed().Max(c => c.Seq));
    }

    [Fact]
    public async Task A_writer_whose_batch_failed_keeps_vouching_for_what_it_wrote_unless_the_head_moved_meanwhile()
    {
        var shard = LedgerShard.New();
        await using var writer = Writer(shard);
        await writer.AppendBatchAsync(Entries(4), CancellationToken.None);
        var before = writer.Written!;

        await Assert.ThrowsAnyAsync<Exception>(() => writer.AppendBatchAsync(Unwritable, CancellationToken.None));
        await writer.AppendBatchAsync(Entries(2), CancellationToken.None);
        Assert.Same(before.Base, writer.Written!.Base);
        Assert.Equal(6, writer.Written.Head.Seq);

        await Assert.ThrowsAnyAsync<Exception>(() => writer.AppendBatchAsync(Unwritable, CancellationToken.None));
        await RewriteHeadRowAsync(shard.Id, seq: 6, hash: new string('b', 64));
        await writer.AppendBatchAsync(Entries(1), CancellationToken.None);
        Assert.Equal((6L, new string('b', 64)), (writer.Written!.Base.Seq, writer.Written.Base.Hash));
    }

    [Fact]
    public async Task Rows_someone_else_adds_to_the_shard_are_not_signed_but_a_batch_whose_commit_went_through_is_the_writers_own()
    {
        var shard = LedgerShard.New();
        await using var writer = Writer(shard);
        var batch = Entries(3);
        await writer.AppendBatchAsync(Entries(4), CancellationToken.None);
        await CheckpointUntilAsync(shard, writer, _ => Witnessed().Any(c => c.Seq == 4), "a checkpoint at row 4");

        // The database already holds exactly the rows the batch would write: as when its commit went through but its answer was
        // lost. The batch collides with them, and the head read back on reconnecting is the one it leads to: it is done, once.
        await using (var lostAnswer = Writer(shard)) await lostAnswer.AppendBatchAsync(batch, CancellationToken.None);
        await writer.AppendBatchAsync(batch, CancellationToken.None);
        await writer.AppendBatchAsync(Entries(1), CancellationToken.None);
        Assert.Equal((0L, 8L, null), (writer.Written!.Base.Seq, writer.Written.Head.Seq, writer.Written.LeftAt));
        Assert.Equal(8, await CountRowsAsync(shard.Id));

        // An insider appends a well-chained row (head row and all) to the node's shard; the writer's next batch collides with
        // it, and is written after it on the new connection.
        await LedgerInsider.AppendAsync(_database, shard.Id, new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", Actor: "insider"));
        await writer.AppendBatchAsync(Entries(1), CancellationToken.None);
        Assert.Equal((9L, 10L, 8L), (writer.Written!.Base.Seq, writer.Written.Head.Seq, writer.Written.LeftAt!.Seq));

        var log = await CheckpointUntilAsync(Resumed(), writer, log => log.GetSnapshot().Any(r => r.Level == LogLevel.Critical), "a complaint");
        Assert.Contains("moved from row 8", log.LatestRecord.Message);
        Assert.Equal(4, Witnessed().Max(c => c.Seq)); // nothing after the foreign row's arrival is signed until it is looked into
    }

    [Fact]
    public async Task Rows_an_earlier_run_left_unsigned_and_an_insider_rewrote_consistently_while_it_was_down_are_not_signed_after_any_number_of_restarts()
    {
        var shard = await EarlierRunAsync();
        await LedgerInsider.RewriteFromAsync(_database, shard.Id, position: 12);

        await AssertRefusedAtEveryRestartAsync(note => note.Unchecked.Any(h => h.Seq == 15), "were rewritten while it was down", signedUpTo: 10);
    }

    [Fact]
    public async Task A_rewrite_only_a_run_that_crashed_before_its_first_check_can_reveal_is_refused_after_every_later_restart()
    {
        var shard = await EarlierRunAsync();
        using (var note = Note())
        {
            await using var crashedEarly = Writer(Resumed(), note);
            await crashedEarly.AppendBatchAsync(Entries(3), CancellationToken.None); // rows 16-18, no checkpointer ever ran
        }
        await LedgerInsider.RewriteFromAsync(_database, shard.Id, position: 17); // rows 15 and before are untouched

        await AssertRefusedAtEveryRestartAsync(note => note.Unchecked.Any(h => h.Seq == 18), "row 18 no longer has the hash the writer noted", signedUpTo: 10);
    }

    [Fact]
    public async Task Rows_an_earlier_run_wrote_that_were_removed_while_it_was_down_are_not_signed()
    {
        var shard = await EarlierRunAsync();
        await ExecuteAsync("DROP TRIGGER trg_audit_ledger_delete_archived_only; DELETE FROM audit_ledger WHERE shard = $shard AND shard_seq > 13", ("$shard", shard.Id));
        var row13 = await ReadRowAsync(shard.Id, 13);
        await RewriteHeadRowAsync(shard.Id, seq: 13, hash: row13.Hash);

        using var note = Note();
        var resumed = Resumed();
        await using var writer = Writer(resumed, note);
        var log = await CheckpointUntilAsync(resumed, writer, log => log.GetSnapshot().Any(r => r.Level == LogLevel.Critical), "a complaint", note);

        Assert.Contains("noted row 15 as written", log.LatestRecord.Message);
        Assert.Equal(10, Witnessed().Max(c => c.Seq));
    }

    [Fact]
    public async Task Rows_someone_else_adds_to_a_running_nodes_shard_are_not_signed_after_any_number_of_restarts_until_the_note_is_removed()
    {
        var shard = LedgerShard.New();
        using (var note = Note())
        {
            await using var writer = Writer(shard, note);
            await writer.AppendBatchAsync(Entries(4), CancellationToken.None);
            await CheckpointUntilAsync(shard, writer, _ => Witnessed().Any(c => c.Seq == 4), "a checkpoint at row 4", note);
            await writer.AppendBatchAsync(Entries(2), CancellationToken.None);
            await LedgerInsider.AppendAsync(_database, shard.Id, new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", Actor: "insider"));
            await writer.AppendBatchAsync(Entries(1), CancellationToken.None); // collides with the insider's row 7, then is row 8
            var (left, found) = (await ReadRowAsync(shard.Id, 6), await ReadRowAsync(shard.Id, 7));
            Assert.Equal(new HeadMove(new ShardHead(shard.Id, 6, left.Hash), new ShardHead(shard.Id, 7, found.Hash)), note.Move);
        }

        await AssertRefusedAtEveryRestartAsync(note => note.Move is { LeftAt.Seq: 6, Found.Seq: 7 }, "moved from row 6", signedUpTo: 4);

        File.Delete(Note().FilePath); // the operator, once the ledger has been looked into
        var resumed = Resumed();
        await using var afterReview = Writer(resumed);
        await afterReview.AppendBatchAsync(Entries(1), CancellationToken.None);
        await CheckpointUntilAsync(resumed, afterReview, _ => Witnessed().Any(c => c.Seq == 12), "a checkpoint at row 12");
    }

    [Fact]
    public async Task After_a_restore_behind_its_last_checkpoint_a_node_signs_nothing_over_its_shard_and_goes_on_in_a_new_one_once_its_witness_is_set_aside()
    {
        var shard = await EarlierRunAsync();
        var row8 = await ReadRowAsync(shard.Id, 8);
        await ExecuteAsync("DROP TRIGGER trg_audit_ledger_delete_archived_only; DELETE FROM audit_ledger WHERE shard = $shard AND shard_seq > 8", ("$shard", shard.Id));
        await RewriteHeadRowAsync(shard.Id, seq: 8, hash: row8.Hash);
        using (var note = Note())
        {
            var resumed = Resumed();
            await using var writer = Writer(resumed, note);
            await writer.AppendBatchAsync(Entries(1), CancellationToken.None);
            var log = await CheckpointUntilAsync(resumed, writer, log => log.GetSnapshot().Any(r => r.Level == LogLevel.Critical), "a complaint", note);
            Assert.Contains("behind this node's last checkpoint at row 10", log.LatestRecord.Message);
            Assert.Contains("move it aside and restart the node", log.LatestRecord.Message);
            Assert.Equal(10, Witnessed().Max(c => c.Seq));
        }

        var evidence = _options.Value.WitnessPath + ".before-restore";
        File.Move(_options.Value.WitnessPath, evidence);
        using (var note = Note())
        {
            var fresh = Resumed();
            Assert.NotEqual(shard.Id, fresh.Id);
            await using var writer = Writer(fresh, note);
            await writer.AppendBatchAsync(Entries(2), CancellationToken.None);
            await CheckpointUntilAsync(fresh, writer, _ => Witnessed().Any(c => c.Chain == fresh.Id && c.Seq == 2), "a checkpoint of the new shard", note);
        }
        Assert.Contains(new CheckpointWitness(Options.Create(new AuditCheckpointOptions { WitnessPath = evidence, SigningKeyPath = _options.Value.SigningKeyPath }),
            NullLogger<CheckpointWitness>.Instance).Read().Checkpoints, c => c.Chain == shard.Id && c.Seq == 10);
    }

    /// <summary>
    /// Three restarts of the node, each writing a row: every one still finds in its note what <paramref name="remembers"/>
    /// looks for, complains with <paramref name="complaint"/>, and signs nothing past row <paramref name="signedUpTo"/>.
    /// </summary>
    private async Task AssertRefusedAtEveryRestartAsync(Func<WriterHeadNote, bool> remembers, string complaint, long signedUpTo)
    {
        for (var restart = 0; restart < 3; restart++)
        {
            using var note = Note();
            Assert.True(remembers(note), $"restart {restart + 1}: the note no longer holds what the refusal rests on");
            var resumed = Resumed();
            await using var writer = Writer(resumed, note);
            await writer.AppendBatchAsync(Entries(1), CancellationToken.None);

            var log = await CheckpointUntilAsync(resumed, writer, log => log.GetSnapshot().Any(r => r.Level == LogLevel.Critical), "a complaint", note);
            Assert.Contains(complaint, log.LatestRecord.Message);
            Assert.Equal(signedUpTo, Witnessed().Max(c => c.Seq));
        }
    }

    /// <summary>A batch the database refuses (an entry without a kind): the writer drops its connection, as after any failure.</summary>
    private static readonly AuditEntry[] Unwritable = [.. Entries(1), new AuditEntry(DateTimeOffset.UtcNow, null!)];

    private AuditWriter Writer(LedgerShard shard, WriterHeadNote? note = null) => new(_database, shard, NullLogger<AuditWriter>.Instance, note: note);

    /// <summary>The writer's note beside this test's witness, as a node opens it at start.</summary>
    private WriterHeadNote Note() => WriterHeadNote.BesideWitness(_options, NullLogger<WriterHeadNote>.Instance);

    /// <summary>
    /// A run of the node that wrote 10 rows, checkpointed them, and wrote 5 more before it ended without a checkpoint (as in
    /// a crash: its note says row 15).
    /// </summary>
    private async Task<LedgerShard> EarlierRunAsync()
    {
        var shard = LedgerShard.New();
        using var note = Note();
        await using var first = Writer(shard, note);
        await first.AppendBatchAsync(Entries(10), CancellationToken.None);
        await CheckpointUntilAsync(shard, first, _ => Witnessed().Any(c => c.Seq == 10), "a checkpoint at row 10", note);
        await first.AppendBatchAsync(Entries(5), CancellationToken.None);
        return shard;
    }

    private async Task<long> CountRowsAsync(string shard)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_ledger WHERE shard = $shard";
        command.Parameters.AddWithValue("$shard", shard);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<AuditRecord> ReadRowAsync(string shard, long position)
    {
        await foreach (var record in new AuditStore(_database).ReadShardAsync(shard, position - 1, position, CancellationToken.None)) return record;
        throw new InvalidOperationException($"row {position} of {shard} is not in the ledger");
    }

    /// <summary>The shard as a restarted node resumes it from the witness (so a new checkpointer continues the chain).</summary>
    private LedgerShard Resumed() => LedgerShard.Resume(Witness(), Keys());

    private CheckpointWitness Witness() => new(_options, NullLogger<CheckpointWitness>.Instance);

    private CheckpointKeys Keys() => new(_options, NullLogger<CheckpointKeys>.Instance);

    private IReadOnlyList<AuditCheckpoint> Witnessed() => Witness().Read().Checkpoints;

    /// <summary>Runs a checkpointer for <paramref name="shard"/> until <paramref name="done"/>, then stops it (a stop signs once more); returns what it logged.</summary>
    private async Task<FakeLogCollector> CheckpointUntilAsync(LedgerShard shard, AuditWriter writer, Func<FakeLogCollector, bool> done, string what,
        WriterHeadNote? note = null)
    {
        var logger = new FakeLogger<AuditCheckpointer>();
        using var checkpointer = new AuditCheckpointer(new AuditStore(_database), writer, new CheckpointStore(_database), Witness(), Keys(), shard, _options,
            TimeProvider.System, logger, note);
        await checkpointer.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => Task.FromResult(logger.Collector), done, TimeSpan.FromSeconds(20), what);
        await checkpointer.StopAsync(CancellationToken.None);
        return logger.Collector;
    }

    private static List<AuditEntry> Entries(int count) => Enumerable.Range(0, count)
        .Select(i => new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: $"11020-{i % 5 + 1:D5}", AgencyId: "police-jung"))
        .ToList();

    private Task RewriteHeadRowAsync(string shard, long seq, string hash) =>
        ExecuteAsync("UPDATE audit_shard_head SET last_seq = $seq, last_hash = $hash WHERE shard = $shard", ("$seq", seq), ("$hash", hash), ("$shard", shard));

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }
}
