namespace SafetyNet.Tests.Cluster;

/// <summary>A node started as production would be, with no token issuer and no development switch, refuses to start and says what to set.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class TokenSourceStartupTests
{
    private static Dictionary<string, string> Embedded(Dictionary<string, string> auth) => new(auth)
    {
        ["Cluster__Provider"] = "Embedded",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };

    [Fact]
    public async Task Without_an_issuer_or_the_development_switch_the_node_exits_with_2_naming_both_settings()
    {
        await using var node = new NodeProcess(1, "Host=127.0.0.1", new string('k', 40), Embedded(new() { ["Auth__DevelopmentTokens"] = "false" }));
        node.Start();
        await node.WaitExitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("No token issuer is configured. Set Auth:Authority", node.Log);
        Assert.Contains("Auth:DevelopmentTokens=true", node.Log);
    }

    [Fact]
    public async Task An_issuer_together_with_development_tokens_is_refused_as_well()
    {
        await using var node = new NodeProcess(1, "Host=127.0.0.1", new string('k', 40),
            Embedded(new() { ["Auth__Authority"] = "https://login.example.org/realms/safetynet" }));
        node.Start();
        await node.WaitExitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("Auth:DevelopmentTokens=true and Auth:Authority are both set", node.Log);
    }
}
