using System.Net.Sockets;
using System.Security.Cryptography;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Media.Live;

/// <summary>
/// Where one ffmpeg run writes one rendition's fragmented MP4: a unix domain socket the node listens on in its private
/// (0700) socket folder, so no other local user can connect in ffmpeg's place, and no TCP port exists to race for. The node
/// accepts exactly one connection, then unlinks the socket and stops listening. Names are short and random: a socket path
/// must fit in 108 bytes whatever the working directory.
/// </summary>
public sealed class LiveSocket : IDisposable
{
    private readonly Socket _listener;

    private LiveSocket(string path, Socket listener)
    {
        Path = path;
        _listener = listener;
    }

    public string Path { get; }

    /// <summary>The output URL ffmpeg's unix protocol connects to.</summary>
    public string Url => $"unix:{Path}";

    public static LiveSocket Listen(string privateFolder)
    {
        var path = System.IO.Path.Combine(privateFolder, $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            return new LiveSocket(path, listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Reads the run's stream into <paramref name="feed"/> until ffmpeg closes it, or <paramref name="runEnded"/> fires before it connected.</summary>
    /// <exception cref="InvalidDataException">ffmpeg wrote something that is not fragmented MP4.</exception>
    /// <param name="acceptInit">
    /// Asked of each init segment before the feed publishes it: false leaves it and everything after it unpublished (the run
    /// is still read to its end, so ffmpeg's other outputs never stall behind an unread socket).
    /// </param>
    public async Task PumpAsync(LiveFeed feed, CancellationToken runEnded, Func<LiveChunk, bool>? acceptInit = null)
    {
        Socket connection;
        try
        {
            connection = await _listener.AcceptAsync(runEnded);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Dispose();
        }
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        var reader = new FragmentedMp4Reader(stream);
        var publishing = true;
        while (await reader.ReadAsync(CancellationToken.None) is { } chunk)
        {
            if (chunk.IsInit && acceptInit is not null) publishing = acceptInit(chunk);
            if (publishing) feed.Publish(chunk);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Gone already.
        }
    }
}
