using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Persistence;

/// <summary>
/// The SQLite connections count every command once, whichever Execute* path runs it (Orleans' providers use the async
/// reader on commands from the factory, our code non-query and scalar, transactions COMMIT), and every row written, by table.
/// </summary>
public sealed class DatabaseMetricsTests
{
    [Fact]
    public async Task Every_command_and_every_written_row_is_counted_once()
    {
        var table = $"metrics_probe_{Guid.NewGuid():N}";
        var commands = new ConcurrentDictionary<string, long>();
        var rows = new ConcurrentDictionary<string, long>();
        using var listener = Listen(commands, rows);
        var directory = Directory.CreateTempSubdirectory("safetynet-db-metrics-").FullName;
        try
        {
            await using var connection = new SqliteTunedConnection(SafetyNetDatabase.ForSqliteFile(Path.Combine(directory, "probe.db")).ConnectionString);
            await connection.OpenAsync();
            await SafetyNetDatabase.ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, grain TEXT)");
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await SafetyNetDatabase.ExecuteAsync(connection, $"INSERT INTO {table} (id, grain) VALUES (1, 'a'), (2, 'b'), (3, 'c')", transaction: transaction);
                await transaction.CommitAsync();
            }
            await using (var update = ((System.Data.Common.DbConnection)connection).CreateCommand())
            {
                update.CommandText = $"UPDATE {table} SET grain = @GrainTypeString WHERE id = 2";
                update.WithParameter("@GrainTypeString", "camera");
                await update.ExecuteNonQueryAsync();
            }
            await using (var count = connection.CreateCommand())
            {
                count.CommandText = $"SELECT COUNT(*) FROM {table}";
                Assert.Equal(3L, Convert.ToInt64(await count.ExecuteScalarAsync()));
            }
            await using (var read = SqliteTunedFactory.Instance.CreateCommand()) // as Orleans' ADO.NET providers make them
            {
                read.Connection = connection;
                read.CommandText = $"SELECT id FROM {table}";
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync()) { }
            }

            Assert.Equal(1, commands.GetValueOrDefault($"INSERT {table}|"));
            Assert.Equal(1, commands.GetValueOrDefault($"UPDATE {table}|camera"));
            Assert.Equal(2, commands.GetValueOrDefault($"SELECT {table}|"));
            Assert.True(commands.GetValueOrDefault("COMMIT|") >= 1, "the transaction's COMMIT was not counted");
            Assert.Equal(4, rows.GetValueOrDefault(table));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("\nINSERT INTO OrleansStorage (a) SELECT 1", "INSERT OrleansStorage")]
    [InlineData("SELECT PayloadBinary FROM OrleansStorage WHERE x = 1", "SELECT OrleansStorage")]
    [InlineData("UPDATE audit_chain_head SET seq = 1", "UPDATE audit_chain_head")]
    [InlineData("COMMIT;", "COMMIT")]
    public void A_statement_is_labelled_by_its_verb_and_first_table(string sql, string label) =>
        Assert.Equal(label, DatabaseMetrics.LabelOf(sql));

    private static MeterListener Listen(ConcurrentDictionary<string, long> commands, ConcurrentDictionary<string, long> rows)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DatabaseMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string ?? "");
            if (instrument.Name == DatabaseMetrics.CommandsName)
                commands.AddOrUpdate($"{values["statement"]}|{values["grain_type"]}", value, (_, n) => n + value);
            else if (instrument.Name == DatabaseMetrics.RowsWrittenName)
                rows.AddOrUpdate(values["table"], value, (_, n) => n + value);
        });
        listener.Start();
        return listener;
    }
}
