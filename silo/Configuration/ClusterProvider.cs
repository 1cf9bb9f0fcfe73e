namespace SafetyNet.Silo.Configuration;

public enum ClusterProvider
{
    /// <summary>A single node: localhost clustering and a SQLite file.</summary>
    Embedded,

    /// <summary>Several nodes sharing PostgreSQL for membership, grain state, reminders and audit.</summary>
    Postgres,
}
