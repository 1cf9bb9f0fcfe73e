using System.Collections.Concurrent;
using System.Security.Claims;

namespace SafetyNet.Api.Auth;

/// <summary>
/// Bearer tokens this node has validated, each with the principal it gave, until the token expires or
/// <see cref="MaxAge"/> passes. A console or dispatch system sends the same token on every request; finding it here skips
/// parsing it and checking its signature again, about a quarter of what an HTTP decision allocated. It skips nothing
/// else: the agency and role checks run on every request, cached or not.
/// </summary>
/// <remarks>
/// What a cached entry could outlive is only what would change the signature check's answer for the same string: the
/// node's own keys are fixed for the life of the process, and an external issuer's keys are re-read from its metadata
/// every 12 hours by default, so <see cref="MaxAge"/> adds no window a rotation did not already have. Only tokens that
/// passed every check are remembered, so a forged token costs the full check each time and takes no place here.
/// </remarks>
public sealed class ValidatedTokens(TimeProvider clock)
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _count; // approximate under races; it only bounds the size

    /// <summary>The principal <paramref name="token"/> gave when it was validated, while it is still valid; otherwise null.</summary>
    public ClaimsPrincipal? Find(string token)
    {
        if (!_entries.TryGetValue(token, out var entry)) return null;
        if (clock.GetUtcNow() < entry.Until) return entry.Principal;
        if (_entries.TryRemove(KeyValuePair.Create(token, entry))) Interlocked.Decrement(ref _count);
        return null;
    }

    /// <summary>Remembers a token that passed every check, until <paramref name="expires"/> (its exp) or <see cref="MaxAge"/>.</summary>
    public void Remember(string token, ClaimsPrincipal principal, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        var until = expires < now + MaxAge ? expires : now + MaxAge;
        if (until <= now) return;
        if (Volatile.Read(ref _count) >= Capacity) Prune(now);
        var entry = new Entry(principal, until);
        if (_entries.TryAdd(token, entry)) Interlocked.Increment(ref _count);
        else _entries[token] = entry;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Drops expired entries; if the cache is still full, starts over rather than pick which valid tokens to keep.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (token, entry) in _entries)
            if (entry.Until <= now && _entries.TryRemove(KeyValuePair.Create(token, entry)))
                Interlocked.Decrement(ref _count);
        if (Volatile.Read(ref _count) < Capacity) return;
        foreach (var token in _entries.Keys)
            if (_entries.TryRemove(token, out _))
                Interlocked.Decrement(ref _count);
    }

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
