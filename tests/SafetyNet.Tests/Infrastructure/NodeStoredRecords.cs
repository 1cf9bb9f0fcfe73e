using Microsoft.Data.Sqlite;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// A stopped node's grain-state records in its SQLite file, read and put back as an insider with the file would: a backup
/// taken now and restored later, sealed as the node wrote it.
/// </summary>
public static class NodeStoredRecords
{
    private const string CameraRow = "GrainTypeString = 'camera' AND GrainIdExtensionString = $key";

    /// <summary>Orleans' ADO.NET storage keeps a grain key that reads as a hexadecimal number, as a district code does, as that number.</summary>
    private const string DistrictRow = "GrainTypeString = 'district' AND GrainIdN1 = $key";

    public static Task<byte[]> CameraAsync(TestNode node, string camera) => ReadAsync(node, CameraRow, camera);

    public static Task<byte[]> DistrictAsync(TestNode node, string code) => ReadAsync(node, DistrictRow, DistrictKey(code));

    public static Task PutBackCameraAsync(TestNode node, string camera, byte[] record) => WriteAsync(node, CameraRow, camera, record);

    public static Task PutBackDistrictAsync(TestNode node, string code, byte[] record) => WriteAsync(node, DistrictRow, DistrictKey(code), record);

    private static long DistrictKey(string code) => Convert.ToInt64(code, 16);

    /// <summary>The one grain-state row <paramref name="where"/> names, by <c>$key</c>.</summary>
    private static async Task<byte[]> ReadAsync(TestNode node, string where, object key)
    {
        await using var connection = await OpenAsync(node);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT PayloadBinary FROM OrleansStorage WHERE {where}";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no stored row where {where} for {key}");
        var record = (byte[])reader[0];
        Assert.False(await reader.ReadAsync(), $"more than one stored row where {where} for {key}");
        return record;
    }

    private static async Task WriteAsync(TestNode node, string where, object key, byte[] record)
    {
        await using var connection = await OpenAsync(node);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE OrleansStorage SET PayloadBinary = $record WHERE {where}";
        command.Parameters.AddWithValue("$record", record);
        command.Parameters.AddWithValue("$key", key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<SqliteConnection> OpenAsync(TestNode node)
    {
        var connection = new SqliteConnection($"Data Source={NodeGrantRows.DatabaseFile(node)};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
