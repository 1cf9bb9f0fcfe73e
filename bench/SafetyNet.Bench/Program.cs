using SafetyNet.Bench.Decisions;
using SafetyNet.Bench.Seed;
using SafetyNet.Bench.Spatial;

var benchmarks = new Dictionary<string, Func<Task>>
{
    ["spatial"] = SpatialBenchmark.RunAsync,
    ["decisions"] = DecisionBenchmark.RunAsync,
    ["seed"] = SeedBenchmark.RunAsync,
};

if (args.Length != 1 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"usage: dotnet run --project bench/SafetyNet.Bench -c Release -- <{string.Join("|", benchmarks.Keys)}>");
    return 2;
}

await benchmark();
return 0;
