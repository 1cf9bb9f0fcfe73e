using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Silo.Configuration;

/// <summary>Section "Shutdown": how a node leaves when it is told to stop (SIGTERM, Ctrl+C, a rolling upgrade).</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// How long a stopping node reports itself not ready while it goes on answering, before it closes its HTTP port and
    /// leaves the cluster: a load balancer routes to it until its readiness probe has failed (Kubernetes as deployed:
    /// every 5 s, out after 2 failures), and a request routed to a closed port fails. Unset: 10 s in cluster mode, 0 for
    /// the embedded single node, which nothing routes around.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:02:00", ErrorMessage = "Shutdown:DrainDelay must be between 0 and 2 minutes.")]
    public TimeSpan? DrainDelay { get; set; }

    public static readonly TimeSpan ClusterDrainDelay = TimeSpan.FromSeconds(10);

    public TimeSpan DrainDelayFor(ClusterProvider provider) =>
        DrainDelay ?? (provider == ClusterProvider.Embedded ? TimeSpan.Zero : ClusterDrainDelay);
}
