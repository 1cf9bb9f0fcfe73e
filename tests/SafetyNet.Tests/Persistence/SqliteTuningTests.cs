using System.Data.Common;
using System.Diagnostics.Metrics;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using Microsoft.Extensions.Configuration;
using SafetyNet.Silo.Configuration;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Persistence;

/// <summary>
/// The embedded node's SQLite connections, including those Orleans' ADO.NET storage and reminders open through the
/// registered factory, wait for a busy write lock with short looks (<see cref="SqliteLockWait"/>) and commit without an
/// fsync per transaction.
/// </summary>
public sealed class SqliteTuningTests
{
    [Fact]
    public async Task Connections_orleans_opens_for_the_embedded_database_are_tuned()
    {
        var directory = Directory.CreateTempSubdirectory("safetynet-sqlite-tuning-").FullName;
        try
        {
            var database = DatabaseSelection.Select(new NodeClusterOptions(), new StorageOptions { DataDirectory = directory }, new ConfigurationBuilder().Build());
            var factory = DbProviderFactories.GetFactory(database.OrleansInvariant);
            await using var connection = factory.CreateConnection()!;
            connection.ConnectionString = database.ConnectionString;
            await connection.OpenAsync();

            // The node's own lock wait replaced SQLite's sleeping handler, which PRAGMA busy_timeout would report.
            Assert.Equal(0L, await PragmaAsync(connection, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(connection, "synchronous")); // NORMAL

            // The settings are made once per native handle; the pool hands the same handle out again, still tuned.
            var handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle;
            await connection.CloseAsync();
            await connection.OpenAsync();
            Assert.Same(handle, ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle);
            Assert.Equal(0L, await PragmaAsync(connection, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(connection, "synchronous"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_writer_that_finds_the_write_lock_held_waits_in_the_node_s_lock_wait_and_commits_once_it_is_free()
    {
        var directory = Directory.CreateTempSubdirectory("safetynet-sqlite-lock-").FullName;
        try
        {
            var connectionString = SafetyNetDatabase.ForSqliteFile(Path.Combine(directory, "lock.db")).ConnectionString;
            await using var holder = new SqliteTunedConnection(connectionString);
            await holder.OpenAsync();
            await SafetyNetDatabase.ExecuteAsync(holder, "PRAGMA journal_mode = WAL; CREATE TABLE probe (id INTEGER PRIMARY KEY)");
            await using var transaction = holder.BeginTransaction(deferred: false);
            await SafetyNetDatabase.ExecuteAsync(holder, "INSERT INTO probe (id) VALUES (1)", transaction: transaction);

            // The listener runs on the waiting thread, so the writer's own wait is told apart from any other test's.
            var writerWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writerThread = 0;
            using var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == DatabaseMetrics.MeterName && instrument.Name == DatabaseMetrics.LockWaitsName) l.EnableMeasurementEvents(instrument);
                },
            };
            listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
            {
                if (Environment.CurrentManagedThreadId == Volatile.Read(ref writerThread)) writerWaiting.TrySetResult();
            });
            listener.Start();
            var written = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = new Thread(() =>
            {
                try
                {
                    using var connection = new SqliteTunedConnection(connectionString);
                    connection.Open();
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO probe (id) VALUES (2)";
                    insert.ExecuteNonQuery();
                    written.SetResult(null);
                }
                catch (Exception ex)
                {
                    written.SetResult(ex);
                }
            });
            Volatile.Write(ref writerThread, writer.ManagedThreadId);
            writer.Start();

            await writerWaiting.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(written.Task.IsCompleted);
            await transaction.CommitAsync();
            Assert.Null(await written.Task.WaitAsync(TimeSpan.FromSeconds(20)));
            await using var count = holder.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM probe";
            Assert.Equal(2L, Convert.ToInt64(await count.ExecuteScalarAsync()));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
