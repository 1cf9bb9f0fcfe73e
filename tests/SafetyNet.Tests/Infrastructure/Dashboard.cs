using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>A situation-room dashboard: a real SignalR client that records every event it receives.</summary>
public sealed class Dashboard : IAsyncDisposable
{
    private static readonly string[] EventNames = ["incidentOpened", "incidentUpdated", "incidentClosed", "accessGranted", "accessRevoked", "leaseRevoked", "cameraStatusChanged", "misuseFlagRaised", "misuseFlagAcknowledged"];
    private readonly ConcurrentQueue<(string Name, JsonElement Payload)> _events = new();

    private Dashboard(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in EventNames)
            connection.On<JsonElement>(name, payload => _events.Enqueue((name, payload)));
        // A wall screen's batches (SubscribeIncidentCards): recorded event by event, in their order.
        connection.On<JsonElement>("events", batch =>
        {
            foreach (var e in batch.EnumerateArray()) _events.Enqueue((e.GetProperty("name").GetString()!, e.GetProperty("payload").Clone()));
        });
    }

    public HubConnection Connection { get; }

    public IReadOnlyCollection<(string Name, JsonElement Payload)> Events => _events.ToArray();

    public static async Task<Dashboard> ConnectAsync(TestNode node, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.Http.BaseAddress!, "/hubs/operations"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var dashboard = new Dashboard(connection);
        await connection.StartAsync();
        return dashboard;
    }

    public Task<(string Name, JsonElement Payload)> WaitForAsync(string name, Func<JsonElement, bool> match, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => Task.FromResult(_events.FirstOrDefault(e => e.Name == name && match(e.Payload))),
            e => e.Name is not null, timeout ?? TimeSpan.FromSeconds(15), $"'{name}' on the dashboard");

    public bool Received(string name, Func<JsonElement, bool> match) => _events.Any(e => e.Name == name && match(e.Payload));

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
