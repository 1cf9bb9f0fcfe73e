using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Api.Media;

/// <summary>
/// One open live WebSocket. Protocol: a text message {"codec":"avc1.PPCCLL","rendition":"original","cached":N}, then binary
/// messages: the init segment, the N fragments of the cached group of pictures (from a keyframe), then each fragment as the
/// relay writes it. The lease is
/// asked again every <see cref="LeaseRecheck"/> and on every keyframe; once it no longer holds, the socket is closed with
/// status 1008 and the lease-end reason as the close reason, within a second of the revocation.
/// Other closes: 1012 (the relay restarted or stopped, or the lease's rendition changed: connect again), 1003 (a codec
/// Media Source Extensions cannot take: play HLS), 1011 (no keyframe in time, or the lease could not be checked).
/// </summary>
internal sealed class LiveSession(WebSocket socket, ILiveView view, ICameraGrain camera, MediaTokens.Claims claims, MediaRendition rendition, ILogger<LiveSession> logger)
{
    public static readonly TimeSpan LeaseRecheck = TimeSpan.FromMilliseconds(250);

    /// <summary>A relay just started needs about a second and a half to its first keyframe; a camera that sends none in this long is not coming.</summary>
    private static readonly TimeSpan FirstKeyframeDeadline = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan SendDrain = TimeSpan.FromMilliseconds(500);

    private const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    private readonly Channel<bool> _keyframes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private sealed record Ending(WebSocketCloseStatus Status, string Reason);

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var watching = WatchLeaseAsync(stop.Token);
        var sending = SendAsync(stop.Token);
        var receiving = ReceiveUntilClosedAsync();
        var first = await Task.WhenAny(watching, sending, receiving);
        await stop.CancelAsync();
        // Only the sender writes to the socket; it stops at its next chunk (it never abandons a message half sent), then the
        // close goes out. A viewer that stopped reading holds the sender in a send: it gets no close, the connection is cut.
        Ending? sent;
        try
        {
            sent = await sending.WaitAsync(SendDrain, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            socket.Abort();
            return;
        }
        if (first == receiving || socket.State != WebSocketState.Open) return;
        var ending = first == watching ? await watching : sent;
        if (ending is null) return;
        try
        {
            await socket.CloseOutputAsync(ending.Status, ending.Reason, CancellationToken.None);
            await receiving.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The viewer went away without answering the close.
        }
    }

    /// <returns>Why the lease no longer serves this socket; null when stopped for another cause.</returns>
    private async Task<Ending?> WatchLeaseAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop);
                tick.CancelAfter(LeaseRecheck);
                try
                {
                    await _keyframes.Reader.ReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // The recheck interval passed without a keyframe.
                }
                stop.ThrowIfCancellationRequested();
                var check = await camera.CheckLeaseAsync(claims.LeaseId, claims.SessionId, playlistRequest: false);
                if (!check.Active) return new Ending(WebSocketCloseStatus.PolicyViolation, check.Reason ?? LeaseEndReasons.Ended);
                if (check.Rendition != rendition) return new Ending(ServiceRestart, "rendition-changed");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            // Unable to confirm the right means no more video: fail closed.
            logger.LogWarning(e, "Checking lease {LeaseId} of a live stream failed; closing it", claims.LeaseId);
            return new Ending(WebSocketCloseStatus.InternalServerError, "lease-check-failed");
        }
    }

    /// <returns>Why the stream ended on the node's side; null when stopped or the viewer went away.</returns>
    private async Task<Ending?> SendAsync(CancellationToken stop)
    {
        try
        {
            using (var starting = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                starting.CancelAfter(FirstKeyframeDeadline);
                LiveChunk? init;
                try
                {
                    init = await view.ReadAsync(starting.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    return new Ending(WebSocketCloseStatus.InternalServerError, "no-keyframe");
                }
                if (init is null) return new Ending(ServiceRestart, view.EndReason ?? "relay-stopped");
                if (init.Codec is null) return new Ending(WebSocketCloseStatus.InvalidPayloadData, "codec-unsupported");
                var header = JsonSerializer.SerializeToUtf8Bytes(new { codec = init.Codec, rendition = rendition.ToString().ToLowerInvariant(), cached = view.Backlog });
                await socket.SendAsync(header, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                await socket.SendAsync(init.Bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            }
            while (await view.ReadAsync(stop) is { } chunk)
            {
                // A restart's new init segment never reaches a viewer: the feed ends the viewer instead (timestamps start over).
                await socket.SendAsync(chunk.Bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                if (chunk.IsKeyframe) _keyframes.Writer.TryWrite(true);
            }
            return new Ending(ServiceRestart, view.EndReason ?? "relay-stopped");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    /// <summary>The viewer sends nothing but its close; reading is how that close (or a dropped connection) is noticed.</summary>
    private async Task ReceiveUntilClosedAsync()
    {
        var buffer = new byte[1024];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
            // Dropped without a close.
        }
    }
}
