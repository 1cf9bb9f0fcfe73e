using System.Diagnostics;
using System.Globalization;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Misuse;

namespace SafetyNet.Bench.Misuse;

/// <summary>
/// The misuse rules over a synthetic stream of ledger entries, in process: how many entries a second one rule runner
/// judges, how much memory its windows hold, and how many flags an honest workload raises (false positives). The stream
/// is a city's working day: operators mostly viewing under incidents, some monitoring without one, denials sprinkled in.
/// </summary>
public static class MisuseBenchmark
{
    private const int Cameras = 68_000;
    private const int Operators = 2_000;
    private const int Incidents = 400;

    /// <param name="args">[entries per simulated second, default 200] [simulated hours, default 8] [share of views without an incident, default 0.1]</param>
    public static Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var hours = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var monitoringShare = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.1;
        var random = new Random(12);
        var places = new SyntheticPlaces(random);
        var detector = new MisuseDetector(new MisuseOptions(), places);
        var load = MachineLoad.Start();
        var table = new MarkdownTable("simulated hour", "entries", "entries/s judged", "flags (cumulative)", "managed MB after GC");
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(9));
        long seq = 0, flags = 0;
        var flagsByRule = new Dictionary<string, int>();
        var perHour = (long)(rate * 3600);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var total = Stopwatch.StartNew();
        for (var hour = 0; hour < hours; hour++)
        {
            var watch = Stopwatch.StartNew();
            for (long i = 0; i < perHour; i++)
            {
                var at = start.AddHours(hour).AddSeconds(i / (double)rate);
                var record = new AuditRecord(++seq, NextEntry(random, at, monitoringShare), "", "");
                foreach (var flag in detector.Observe(record))
                {
                    flags++;
                    flagsByRule[flag.Rule] = flagsByRule.GetValueOrDefault(flag.Rule) + 1;
                }
                if (i % rate == 0) flags += detector.Tick(at).Count;
            }
            var seconds = watch.Elapsed.TotalSeconds;
            table.Add(hour + 1, perHour, perHour / seconds, flags, (GC.GetTotalMemory(forceFullCollection: true) - baseline) / 1048576.0);
        }
        Console.WriteLine($"## misuse rules: {rate} entries per simulated second for {hours} h, {monitoringShare:P0} of views without an incident");
        Console.WriteLine($"{Operators:N0} operators, {Cameras:N0} cameras, {Incidents} incidents; default thresholds; one thread; {total.Elapsed.TotalSeconds:F1} s in all");
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"flags by rule: {(flagsByRule.Count == 0 ? "none" : string.Join(", ", flagsByRule.Select(p => $"{p.Key} {p.Value}")))}");
        Console.WriteLine($"Machine during the run: {load.Describe()}");
        return Task.CompletedTask;
    }

    /// <summary>60 % access decisions, 25 % views (most under an incident), 10 % leases, 5 % denials.</summary>
    private static AuditEntry NextEntry(Random random, DateTimeOffset at, double monitoringShare)
    {
        var agency = $"agency-{random.Next(40)}";
        var actor = $"{agency}/op-{random.Next(Operators)}";
        var camera = $"cam-{random.Next(Cameras)}";
        var incident = $"inc-{random.Next(Incidents)}";
        var roll = random.NextDouble();
        if (roll < 0.60) return new AuditEntry(at, AuditKinds.AccessDecision, "allow", "incident-grant", camera, agency, "s", incident, actor);
        if (roll < 0.85)
            return new AuditEntry(at, AuditKinds.View, "allow", null, camera, agency, "s", random.NextDouble() < monitoringShare ? null : incident, actor);
        if (roll < 0.95) return new AuditEntry(at, AuditKinds.Lease, "allow", "incident-grant", camera, agency, "s", incident, actor);
        return new AuditEntry(at, AuditKinds.AccessDecision, "deny", "no-grant", camera, agency, "s", null, actor);
    }

    /// <summary>Cameras spread over Seoul; incidents have no place here, so the far-from-incident rule stays silent in this run.</summary>
    private sealed class SyntheticPlaces(Random random) : IMisusePlaces
    {
        private readonly GeoPoint[] _cameras = Enumerable.Range(0, Cameras)
            .Select(_ => new GeoPoint(37.45 + random.NextDouble() * 0.2, 126.8 + random.NextDouble() * 0.35)).ToArray();

        public GeoPoint? Camera(string cameraId) => _cameras[int.Parse(cameraId.AsSpan(4), CultureInfo.InvariantCulture)];

        public GeoPoint? Incident(string incidentId) => null;
    }
}
