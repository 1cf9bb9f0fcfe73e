using System.Net;
using System.Net.Sockets;

namespace SafetyNet.Tests.Cluster;

/// <summary>A wrong setting stops the node at once with a message that names it.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class BadConfigurationTests
{
    [Fact]
    public async Task An_unreachable_database_stops_the_node_with_a_clear_message()
    {
        await using var node = new NodeProcess(1, "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=3", new string('k', 40));
        node.Start();
        await node.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(3, node.ExitCode);
        Assert.Contains("database is unreachable", node.Log);
    }

    [Fact]
    public async Task A_malformed_connection_string_or_equal_ports_stop_the_node_naming_the_setting()
    {
        await using var malformed = new NodeProcess(1, "this is not a connection string", new string('k', 40));
        malformed.Start();
        await malformed.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("ConnectionStrings:SafetyNet", malformed.Log);

        await using var ports = new NodeProcess(1, "Host=127.0.0.1", new string('k', 40), new Dictionary<string, string> { ["Cluster__SiloPort"] = "12345", ["Cluster__GatewayPort"] = "12345" });
        ports.Start();
        await ports.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, ports.ExitCode);
        Assert.Contains("must differ", ports.Log);
    }

    [Fact]
    public async Task Wrong_settings_in_several_sections_are_all_named_at_once_without_a_stack_trace()
    {
        await using var node = new NodeProcess(1, "Host=127.0.0.1", new string('k', 40), new Dictionary<string, string>
        {
            ["Demo__DistrictBoundaries"] = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.geojson"),
            ["Api__MaxRequestBodyBytes"] = "1000000000",
        });
        node.Start();
        await node.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("Demo:DistrictBoundaries", node.Log);
        Assert.Contains("MaxRequestBodyBytes", node.Log);
        // The on-call engineer reads the settings to fix, not a crash: no "Hosting failed to start", no stack frames.
        Assert.DoesNotContain("Hosting failed", node.Log);
        Assert.DoesNotContain("   at ", node.Log);
    }

    [Fact]
    public async Task A_boundary_file_naming_no_served_district_stops_the_node_saying_why_without_a_stack_trace()
    {
        var path = Path.Combine(Path.GetTempPath(), $"boundaries-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(path, """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"SIG_CD":"26350","SIG_KOR_NM":"해운대구"},
             "geometry":{"type":"Polygon","coordinates":[[[129.15,35.16],[129.17,35.16],[129.17,35.18],[129.15,35.16]]]}}]}
            """);
        try
        {
            await using var node = new NodeProcess(1, "Host=127.0.0.1", new string('k', 40), new Dictionary<string, string> { ["Demo__DistrictBoundaries"] = path });
            node.Start();
            await node.WaitExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, node.ExitCode);
            Assert.Contains("Demo:DistrictBoundaries", node.Log);
            Assert.Contains("해운대구", node.Log);
            Assert.DoesNotContain("   at ", node.Log);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_cluster_node_without_the_shared_state_key_stops_naming_the_file_and_makes_none_of_its_own()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "state-seal.key");
        await using var node = new NodeProcess(1, "Host=127.0.0.1", new string('k', 40), new Dictionary<string, string> { ["StateSeal__KeyPath"] = missing });
        node.Start();
        await node.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, node.ExitCode);
        Assert.Contains($"StateSeal:KeyPath: '{missing}' does not exist", node.Log);
        Assert.DoesNotContain("   at ", node.Log);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task A_port_clash_stops_the_node_with_a_clear_message()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new NodeProcess(1, database.ConnectionString, new string('k', 40),
            new Dictionary<string, string> { ["Cluster__Provider"] = "Embedded", ["Cluster__SiloPort"] = port.ToString() });
        node.Start();
        await node.WaitExitAsync(TimeSpan.FromSeconds(90));
        Assert.NotEqual(0, node.ExitCode);
        Assert.Contains("already in use", node.Log);
    }
}
