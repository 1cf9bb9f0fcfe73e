using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using SafetyNet.Bench.Measurement;

namespace SafetyNet.Bench.Profiling;

/// <summary>
/// Where a process's heap allocations went, from an EventPipe trace of the runtime's allocation samples (one about every
/// 100 KB, with its stack): each sample is put to the component of the stack frame nearest the allocation that names one,
/// so a string allocated inside bearer-token validation counts for token validation, not for the middleware that
/// called it. Take the trace with <c>dotnet-trace collect -p PID --profile gc-verbose</c> while a bench runs.
/// </summary>
public static class AllocationProfile
{
    private const int TopMethods = 25;

    /// <summary>Components by the start of a frame's method name, the first match winning.</summary>
    private static readonly (string Component, string[] Prefixes)[] Components =
    [
        ("bearer-token validation", ["Microsoft.IdentityModel.", "System.IdentityModel.", "Microsoft.AspNetCore.Authentication.JwtBearer."]),
        ("authentication (other)", ["Microsoft.AspNetCore.Authentication."]),
        ("authorization", ["Microsoft.AspNetCore.Authorization."]),
        ("rate limiting", ["Microsoft.AspNetCore.RateLimiting.", "System.Threading.RateLimiting."]),
        ("SignalR and its pipes", ["Microsoft.AspNetCore.SignalR.", "Microsoft.AspNetCore.Http.Connections.", "System.IO.Pipelines."]),
        ("JSON", ["System.Text.Json."]),
        ("Npgsql", ["Npgsql."]),
        ("SQLite", ["Microsoft.Data.Sqlite.", "SQLitePCL."]),
        ("audit chain hash", ["SafetyNet.Grains.Audit.AuditChain."]),
        ("audit rows read back", ["SafetyNet.Grains.Audit.AuditStore"]),
        ("audit ledger (other)", ["SafetyNet.Grains.Audit."]),
        ("bench client", ["SafetyNet.Bench."]),
        ("SafetyNet grains", ["SafetyNet.Grains."]),
        ("SafetyNet API and node", ["SafetyNet.Api.", "SafetyNet.Silo."]),
        ("Orleans Dashboard", ["Orleans.Dashboard."]),
        ("Orleans serialization and type names", ["Orleans.Serialization."]),
        ("Orleans runtime", ["Orleans."]),
        ("telemetry", ["OpenTelemetry.", "System.Diagnostics.Metrics.", "System.Diagnostics.Activity", "Microsoft.AspNetCore.Hosting."]),
        ("dependency injection", ["Microsoft.Extensions.DependencyInjection."]),
        ("Kestrel", ["Microsoft.AspNetCore.Server.Kestrel."]),
        ("ASP.NET Core (other)", ["Microsoft.AspNetCore."]),
    ];

    public static Task RunAsync(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
            throw new ArgumentException("allocations needs the path of a .nettrace file taken with dotnet-trace's gc-verbose profile.");
        var byComponent = new Dictionary<string, double>();
        var byMethod = new Dictionary<string, double>();
        double total = 0;
        // TraceEvent converts the trace into an indexed copy beside it first; it is not kept.
        var converted = TraceLog.CreateFromEventPipeDataFile(args[0]);
        try
        {
            using var trace = new TraceLog(converted);
            foreach (var e in trace.Events)
            {
                if (e is not GCAllocationTickTraceData sample) continue;
                var frames = Frames(e.CallStack()).ToList();
                total += sample.AllocationAmount64;
                Add(byComponent, ComponentOf(frames), sample.AllocationAmount64);
                if (frames.FirstOrDefault(f => f.StartsWith("SafetyNet.", StringComparison.Ordinal)) is { } ours)
                    Add(byMethod, ours.Replace("|", "\\|"), sample.AllocationAmount64);
            }
        }
        finally
        {
            File.Delete(converted);
        }
        if (total == 0) throw new InvalidOperationException($"{args[0]} holds no allocation samples: take it with --profile gc-verbose.");

        Console.WriteLine($"## allocations: {Path.GetFileName(args[0])}, {total / 1e6:N0} MB sampled\n");
        var components = new MarkdownTable("component (frame nearest the allocation)", "share", "MB");
        foreach (var (component, bytes) in byComponent.OrderByDescending(c => c.Value)) components.Add(component, $"{bytes * 100 / total:F1} %", bytes / 1e6);
        Console.WriteLine(components);
        var methods = new MarkdownTable("SafetyNet method nearest the allocation", "share");
        foreach (var (method, bytes) in byMethod.OrderByDescending(m => m.Value).Take(TopMethods)) methods.Add(method, $"{bytes * 100 / total:F1} %");
        Console.WriteLine(methods);
        return Task.CompletedTask;
    }

    private static IEnumerable<string> Frames(TraceCallStack? stack)
    {
        for (; stack is not null; stack = stack.Caller)
            if (stack.CodeAddress.FullMethodName is { Length: > 0 } name) yield return name;
    }

    private static string ComponentOf(IEnumerable<string> frames)
    {
        foreach (var frame in frames)
        foreach (var (component, prefixes) in Components)
            if (prefixes.Any(p => frame.StartsWith(p, StringComparison.Ordinal))) return component;
        return "(runtime and libraries only)";
    }

    private static void Add(Dictionary<string, double> totals, string key, double bytes) =>
        totals[key] = totals.GetValueOrDefault(key) + bytes;
}
