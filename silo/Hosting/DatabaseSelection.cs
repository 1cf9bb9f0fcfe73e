using Microsoft.Extensions.Options;
using Npgsql;
using SafetyNet.Grains.Persistence;
using SafetyNet.Silo.Configuration;

namespace SafetyNet.Silo.Hosting;

public static class DatabaseSelection
{
    public const string ConnectionStringName = "SafetyNet";

    /// <summary>Embedded: a SQLite file under the data directory. Postgres: ConnectionStrings:SafetyNet, which must be present and well-formed.</summary>
    public static SafetyNetDatabase Select(NodeClusterOptions cluster, StorageOptions storage, IConfiguration configuration)
    {
        SafetyNetDatabase.RegisterProviderFactories();
        if (cluster.Provider == ClusterProvider.Embedded)
        {
            Directory.CreateDirectory(Path.GetFullPath(storage.DataDirectory));
            return SafetyNetDatabase.ForSqliteFile(storage.DatabasePath);
        }
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new OptionsValidationException(ConnectionStringName, typeof(string), ["Cluster:Provider is Postgres but ConnectionStrings:SafetyNet is not set."]);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(ConnectionStringName, typeof(string), [$"ConnectionStrings:SafetyNet is malformed: {e.Message}"]);
        }
        return new SafetyNetDatabase(DatabaseProvider.Postgres, connectionString);
    }
}
