using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// A row's hash is fixed by the ledgers already written: the fields joined by U+001F, nulls as empty, hashed as UTF-8.
/// These pin it, for every size and alphabet a field can take, against the plain string-built form.
/// </summary>
public sealed class AuditChainHashTests
{
    private static readonly string Zeros = AuditChain.GenesisHash;
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 5, 1, 2, 3, TimeSpan.Zero).AddTicks(4_567_891);

    private static AuditEntry Decision(string? details = "{}", string? district = null, string? purpose = null) =>
        new(At, AuditKinds.AccessDecision, "allow", "standing-policy", "11110-00001", "seoul-112", "s1", null, "seoul-112/op", details,
            district, purpose);

    [Fact]
    public void A_row_hashes_as_ledgers_already_written_hashed_it()
    {
        // Taken from sha256sum over the canonical text, written out by hand.
        Assert.Equal("0133fd36c445d4e3c52503a8931b6552864d8030ae79bbb8efda9d39eaa29f53", AuditChain.Hash(Zeros, 1, Decision()));
        Assert.Equal("0695de8a3098fc5eb995bc76ea47fda770fa9547b29319866b3f81eddeeb97fd",
            AuditChain.Hash(Zeros, 1, Decision(district: "11110", purpose: "monitoring")));
    }

    public static TheoryData<string, string?> Fields => new()
    {
        { "no details", null },
        { "Korean", """{"note":"종로구 세종대로 사거리 화재"}""" },
        { "a lone surrogate", "before \ud800 after" },
        { "longer than the stack buffer", new string('가', 3_000) },
        { "ASCII filling the stack buffer", new string('x', 1_000) },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Every_field_size_and_alphabet_hashes_as_the_string_built_text(string _, string? details)
    {
        var entry = Decision(details) with { Justification = details, IncidentId = "inc-1" };
        Assert.Equal(StringBuilt(Zeros, long.MaxValue, entry), AuditChain.Hash(Zeros, long.MaxValue, entry));
        var plain = Decision(details);
        Assert.Equal(StringBuilt(Zeros, 42, plain), AuditChain.Hash(Zeros, 42, plain));
    }

    [Fact]
    public void A_row_matches_its_own_hash_and_no_other()
    {
        var entry = Decision();
        var hash = AuditChain.Hash(Zeros, 7, entry);
        Assert.True(AuditChain.Matches(Zeros, 7, entry, hash));
        Assert.False(AuditChain.Matches(Zeros, 8, entry, hash));
        Assert.False(AuditChain.Matches(Zeros, 7, entry with { Outcome = "deny" }, hash));
        Assert.False(AuditChain.Matches(Zeros, 7, entry, hash.ToUpperInvariant()));
        Assert.False(AuditChain.Matches(Zeros, 7, entry, hash[..^1]));
    }

    private static string StringBuilt(string previousHash, long seq, AuditEntry e)
    {
        var canonical = string.Join('\u001f', previousHash, seq.ToString(CultureInfo.InvariantCulture), AuditChain.Timestamp(e.OccurredAt),
            e.Kind, e.Outcome, e.Reason, e.CameraId, e.AgencyId, e.SessionId, e.IncidentId, e.Actor, e.Details);
        if (e.DistrictCode is not null || e.Purpose is not null || e.Justification is not null)
            canonical = string.Join('\u001f', canonical, e.DistrictCode, e.Purpose, e.Justification);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
