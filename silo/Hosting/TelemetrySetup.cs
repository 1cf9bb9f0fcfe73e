using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SafetyNet.Grains.Observability;
using SafetyNet.Silo.Configuration;
using SafetyNet.Silo.Logging;

namespace SafetyNet.Silo.Hosting;

public static class TelemetrySetup
{
    /// <summary>Orleans and SafetyNet metrics and console logs; with an OTLP collector configured, also traces from HTTP into grain calls (Orleans activity propagation) and logs to it.</summary>
    public static WebApplicationBuilder AddSafetyNetTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.OtlpEndpoint;
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.IncludeScopes = true;
        });
        OutageThrottlingLoggerFactory.Register(builder.Services);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("safetynet", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m =>
            {
                m.AddMeter("Microsoft.Orleans", SafetyNetMetrics.MeterName, "Npgsql", DatabaseMetrics.MeterName)
                    // Of the database meter only the lock waits: counting every command and row costs a lookup per statement.
                    .AddView(DatabaseMetrics.CommandsName, MetricStreamConfiguration.Drop)
                    .AddView(DatabaseMetrics.RowsWrittenName, MetricStreamConfiguration.Drop)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is not null) m.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        // Traces are recorded only when there is a collector to send them to: without one, an activity for every request
        // and grain call cost CPU and reached no one.
        if (otlp is not null)
            telemetry.WithTracing(t => t
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", SafetyNetMetrics.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                    .AddOtlpExporter(o => o.Endpoint = otlp))
                .WithLogging(l => l.AddOtlpExporter(o => o.Endpoint = otlp));
        return builder;
    }
}
