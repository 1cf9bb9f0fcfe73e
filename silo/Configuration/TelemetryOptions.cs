namespace SafetyNet.Silo.Configuration;

/// <summary>Section "Telemetry": where traces, metrics and logs go besides /metrics, and whether the Orleans Dashboard runs.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector endpoint, e.g. http://localhost:4317; unset means no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// The Orleans Dashboard at /dashboard/ (platform-admin). It reads Orleans' metrics every second whether or not anyone
    /// looks, and two of them walk every activation (about 59 ms of CPU a second at 70,000): a silo holding hundreds of
    /// thousands of activations can turn it off and rely on /metrics. Off, /dashboard/ answers 404.
    /// </summary>
    public bool OrleansDashboard { get; set; } = true;
}
