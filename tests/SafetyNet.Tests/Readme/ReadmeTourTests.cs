using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SafetyNet.Tests.Cluster;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Media;

using SafetyNet.Tests.Deploy;

namespace SafetyNet.Tests.Readme;

/// <summary>
/// The README's curl tour, exactly as written there, run with <c>bash -euo pipefail</c> against a node started as its own
/// process the way the README's run command starts one (embedded database, development tokens, demo city with lavfi video,
/// default rate limits, no public base URL): every step must succeed.
/// </summary>
public sealed partial class ReadmeTourTests
{
    private const string Start = "<!-- tour:start -->", End = "<!-- tour:end -->";

    [GeneratedRegex(@"^```(?:sh|bash)\n(.*?)^```\n", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"\bcurl\s")]
    private static partial Regex Curl();

    [GeneratedRegex(@"\bcurl -fsS\s")]
    private static partial Regex FailingCurl();

    /// <summary>The shell code between the tour markers, fences removed, every block in order.</summary>
    public static string Tour()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var from = readme.IndexOf(Start, StringComparison.Ordinal);
        var to = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"README.md must mark its tour with {Start} … {End}");
        var blocks = FencedBlock().Matches(readme[(from + Start.Length)..to]).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);
        return string.Concat(blocks);
    }

    [Fact]
    public void Every_request_of_the_tour_fails_loudly_and_its_node_is_configurable()
    {
        var tour = Tour();
        Assert.StartsWith("B=${B:-http://127.0.0.1:8080}\n", tour);
        var commands = string.Join('\n', tour.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        var curls = Curl().Matches(commands).Count;
        Assert.True(curls >= 30, $"the tour has only {curls} curl commands");
        Assert.Equal(curls, FailingCurl().Matches(commands).Count);
        Assert.DoesNotContain("sleep", commands);
    }

    [Fact, Trait("Category", "Slow")]
    public async Task The_README_tour_runs_as_written_against_a_fresh_node()
    {
        await using var node = new NodeProcess(1, "Host=127.0.0.1", new string('t', 48), new Dictionary<string, string>
        {
            ["Cluster__Provider"] = "Embedded",
            ["Auth__DevelopmentTokens"] = "true",
            ["Demo__Cameras"] = "3000",
        });
        // As the README's run command: media URLs relative to the node, and the default request limits.
        foreach (var key in new[] { "Cluster__PublicBaseUrl", "Api__RateLimitPerSecond", "AuditRateLimit__Burst" })
            node.Environment.Remove(key);
        node.Start();
        await node.WaitReadyAsync(1);

        var workDirectory = Directory.CreateTempSubdirectory("safetynet-tour-");
        try
        {
            var script = Path.Combine(workDirectory.FullName, "tour.sh");
            await File.WriteAllTextAsync(script, Tour());
            var (exitCode, output) = await RunAsync(script, node.BaseUrl, workDirectory.FullName, TimeSpan.FromMinutes(3));
            Assert.True(exitCode == 0, $"The README tour failed with exit code {exitCode}.\n--- tour output ---\n{output}\n--- node log ---\n{node.Log}");

            var snapshot = await File.ReadAllBytesAsync(Path.Combine(workDirectory.FullName, "snapshot.jpg"));
            Assert.True(snapshot is [0xFF, 0xD8, 0xFF, ..], "snapshot.jpg is not a JPEG");
            Assert.Contains("#EXTM3U", output);
            Assert.Contains("\"changes\":[{\"kind\":\"fire-119-center\",\"purpose\":\"traffic\",\"from\":\"during-incident\",\"to\":\"standing\"}]", output);
            Assert.Contains("\"reason\":\"incident-grant\"", output);
            // Step 12's whole-city alert: a notice, listed, then ended by its cancel.
            Assert.Matches("\"identifier\":\"rain-[0-9]+\",\"area\":\"서울특별시 전체\".*\"status\":\"shown\"", output);
            Assert.Matches("\"identifier\":\"rain-[0-9]+\".*\"status\":\"ended\"", output);
            // The tour opened incidents, so the node's own /metrics (its own process: no other node's meter mixed in) counts
            // every stage of an opening at least once.
            var stages = Regex.Matches(output, @"safetynet_incident_open_stage_duration_milliseconds_count\{[^}]*stage=""(\w+)""[^}]*\} (\d+)")
                .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Equal(IncidentOpeningMetricsTests.Stages.Order(), stages.Keys.Order());
            Assert.All(stages, stage => Assert.True(stage.Value >= 1, $"stage '{stage.Key}' counted {stage.Value} times"));
            // Of the database meter only the lock waits are exported: counting every command and row would cost each statement a lookup.
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"{node.BaseUrl}/metrics");
            Assert.DoesNotContain("safetynet_db_commands", metrics);
            Assert.DoesNotContain("safetynet_db_rows", metrics);
            // The runbook's media rows, by the names it gives them.
            Assert.Contains("safetynet_media_streams{", metrics);
            Assert.Matches(@"(?m)^safetynet_media_streams_encoding(\{[^}]*\})? 0", metrics);
            Assert.Matches(@"(?m)^safetynet_node_cpu_busy(\{[^}]*\})? [01](\.[0-9]+)?(E-?[0-9]+)?$", metrics);
            // Every metric the shipped alerts read is one this node exports (an alert on a name no node exports never fires).
            foreach (var family in DeployArtifactsTests.AlertRules().SelectMany(rule => DeployArtifactsTests.AlertMetrics((string)rule["expr"])))
                Assert.Contains(family, metrics);

            // What an on-call engineer reads after a start, a tour and a stop: no error (a grain call made while the silo was
            // leaving used to log one at every stop).
            await node.StopAsync();
            Assert.Equal(0, node.ExitCode);
            var errors = node.Log.Split('\n').Where(line => line.Contains(" fail: ") || line.Contains(" crit: ")).ToArray();
            Assert.True(errors.Length == 0, "The node logged errors:\n" + string.Join('\n', errors));
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, string baseUrl, string workingDirectory, TimeSpan timeout)
    {
        var output = new StringBuilder();
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["B"] = baseUrl;
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) return (-1, $"(killed after {timeout})\n{output}");
        }
        await process.WaitForExitAsync(); // drains the redirected streams
        lock (output) return (process.ExitCode, output.ToString());
    }
}
