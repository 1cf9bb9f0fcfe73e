using SafetyNet.Bench.Audit;
using SafetyNet.Bench.Cost;
using SafetyNet.Bench.Dashboard;
using SafetyNet.Bench.Decisions;
using SafetyNet.Bench.Import;
using SafetyNet.Bench.Incidents;
using SafetyNet.Bench.Misuse;
using SafetyNet.Bench.Nation;
using SafetyNet.Bench.Profiling;
using SafetyNet.Bench.Seed;
using SafetyNet.Bench.Spatial;
using SafetyNet.Bench.Video;
using SafetyNet.Silo.Hosting;

// The benches host the node in this process: size the buffer pool as the node's own executable does.
SharedBufferPool.Size();

var benchmarks = new Dictionary<string, Func<string[], Task>>
{
    ["spatial"] = _ => SpatialBenchmark.RunAsync(),
    ["decisions"] = _ => DecisionBenchmark.RunAsync(),
    ["seed"] = _ => SeedBenchmark.RunAsync(),
    ["nation"] = NationBenchmark.RunAsync,
    ["selection"] = SelectionBenchmark.RunAsync,
    ["fanout"] = FanoutBenchmark.RunAsync,
    ["video"] = VideoBenchmark.RunAsync,
    ["relays"] = RelayScaleBenchmark.RunAsync,
    ["encode-load"] = EncodeLoadBenchmark.RunAsync,
    ["recheck"] = OfflineRecheckBenchmark.RunAsync,
    ["latency"] = LatencyBenchmark.RunAsync,
    ["dashboard"] = DashboardLoadBenchmark.RunAsync,
    ["misuse"] = MisuseBenchmark.RunAsync,
    ["cost"] = CostBenchmark.RunAsync,
    ["audit-search"] = AuditSearchBenchmark.RunAsync,
    ["import-files"] = ImportFilesBenchmark.RunAsync,
    ["allocations"] = AllocationProfile.RunAsync,
};

if (args.Length < 1 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"usage: dotnet run --project bench/SafetyNet.Bench -c Release -- <{string.Join("|", benchmarks.Keys)}> [options]");
    Console.Error.WriteLine("       nation [cameras, default 1500000]");
    Console.Error.WriteLine("       fanout [incidents per second, default 200] [seconds, default 60] [dashboards, default 1000] [warm-up seconds, default 3] [wall-screen client: signalr (default) or lean]");
    Console.Error.WriteLine("       video [trials, default 8]");
    Console.Error.WriteLine("       relays [target relays, default 200] [hold seconds, default 300] [step, default 50] [beyond the target, default 100] [rewind window seconds, default 900]");
    Console.Error.WriteLine("       encode-load [Media:NewEncodeCpuLimit, default 0.85] [cameras opened, default 14] [seconds between openings, default 5] [decisions a second, default 3000]");
    Console.Error.WriteLine("       recheck [cameras that go dark at once, default 500] [seconds, default 60] [decisions a second, default 2000] [dark (default) or hung]");
    Console.Error.WriteLine("       latency [seconds of frames per path, default 30] [start-up trials, default 8]");
    Console.Error.WriteLine("       dashboard [runs, default 7]");
    Console.Error.WriteLine("       misuse [entries per simulated second, default 200] [simulated hours, default 8] [share of views without an incident, default 0.1]");
    Console.Error.WriteLine("       cost [incidents opened and closed, default 200] [decisions cold and warm, default 4000]");
    Console.Error.WriteLine("       audit-search [ledger rows, default 1000000] [rows not yet indexed, default 20000]");
    Console.Error.WriteLine("       import-files [camera rows, default 1500000] [boundary vertices per district, default 4000]");
    Console.Error.WriteLine("       allocations <trace.nettrace from dotnet-trace collect --profile gc-verbose>");
    return 2;
}

await benchmark(args[1..]);
return 0;
