namespace SafetyNet.Contracts.Errors;

/// <summary>
/// Machine-readable reasons of refusals that a console words for its operator: "not now" (503), which it asks again, and a
/// camera its district must correct first (409).
/// </summary>
public static class RefusalReasons
{
    /// <summary>The node relaying the camera is too busy to start the encode it needs (<c>Media:NewEncodeCpuLimit</c>).</summary>
    public const string NodeBusyEncoding = "node-busy-encoding";

    /// <summary>The camera's district already carries as many camera streams as its uplink takes (<c>Leases:UpstreamCapPerDistrict</c>).</summary>
    public const string DistrictUplinkFull = "district-uplink-full";

    /// <summary>The node knows its database cannot be reached.</summary>
    public const string DatabaseUnreachable = "database-unreachable";

    /// <summary>The database connection was lost (a restart or failover); the next attempt opens a new one.</summary>
    public const string DatabaseConnectionLost = "database-connection-lost";

    /// <summary>The audit ledger could not record the action, so it was not performed.</summary>
    public const string LedgerUnavailable = "ledger-unavailable";

    /// <summary>A stored record failed its seal; an on-call engineer must look (docs/operations.md §8b).</summary>
    public const string StoredStateRefused = "stored-state-refused";

    /// <summary>Part of the cluster did not answer in time: a node leaving or lost, or a database not answering.</summary>
    public const string ClusterNotAnswering = "cluster-not-answering";

    /// <summary>A first playlist request found the camera's stream still starting after the node's first-request wait.</summary>
    public const string StreamStarting = "stream-starting";

    /// <summary>The camera's stream failed and waits to be tried again (backoff).</summary>
    public const string StreamFailed = "stream-failed";

    /// <summary>The camera's stored stream URL is one the node's stream policy refuses to fetch; its district must correct it (409).</summary>
    public const string StreamUrlRefused = "stream-url-refused";

    /// <summary>The camera gave no picture in time: unreachable, silent, or cut off for redirecting the node elsewhere.</summary>
    public const string CameraNoPicture = "camera-no-picture";

    /// <summary>
    /// The camera (its stream or its ONVIF device) presented a certificate other than the one pinned when the node first
    /// reached it there, so the node did not connect: a re-keyed camera, or someone on the path. Its district checks the
    /// camera and forgets the pin; until then every attempt is refused the same way.
    /// </summary>
    public const string CameraCertificateChanged = "camera-certificate-changed";

    /// <summary>The camera's stream does not run on this node; asking again starts it.</summary>
    public const string StreamIdle = "stream-idle";
}
