namespace SafetyNet.Grains.Persistence;

public enum DatabaseProvider
{
    /// <summary>One node, one SQLite file under the data directory.</summary>
    Sqlite,

    /// <summary>A cluster sharing one PostgreSQL database.</summary>
    Postgres,
}
