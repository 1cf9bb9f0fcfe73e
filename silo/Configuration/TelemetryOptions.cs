namespace SafetyNet.Silo.Configuration;

/// <summary>Section "Telemetry": where traces, metrics and logs go besides /metrics.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector endpoint, e.g. http://localhost:4317; unset means no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }
}
