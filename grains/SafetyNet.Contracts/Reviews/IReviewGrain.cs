namespace SafetyNet.Contracts.Reviews;

/// <summary>Monthly review reports of a district's viewings, signed with the node's checkpoint key (stateless per silo, key 0).</summary>
[Alias("review")]
public interface IReviewGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The report of a finished month as stored (produced now and stored if it never was), or an interim report of the
    /// month in progress (produced each time, never stored), rendered as <see cref="ReviewRequest.Format"/>.
    /// </summary>
    [Alias("get")]
    Task<ReviewDownload> GetAsync(ReviewRequest request);

    /// <summary>Checks a downloaded report: its own signature line (CSV, HTML), or <paramref name="detachedSignature"/> (JSON).</summary>
    [Alias("verify")]
    Task<ReviewVerification> VerifyAsync(byte[] document, string? detachedSignature);

    /// <summary>Produces and stores the month's report for every district that has none yet; returns how many it produced.</summary>
    [Alias("produce-month")]
    Task<int> ProduceMissingAsync(string month);
}

/// <summary>The single reminder-driven grain (key 0) that produces last month's reports at the start of each month, once per cluster.</summary>
[Alias("review-schedule")]
public interface IReviewScheduleGrain : IGrainWithIntegerKey
{
    [Alias("start")]
    Task StartAsync();
}

[GenerateSerializer, Immutable, Alias("review-request")]
public sealed record ReviewRequest(
    [property: Id(0)] string District,
    [property: Id(1)] string Month,
    [property: Id(2)] string Format,
    [property: Id(3)] string Lang,
    [property: Id(4)] string AgencyId,
    [property: Id(5)] string Actor);

/// <param name="Signature">"keyId:base64" of <see cref="Content"/>'s signed bytes: all of a JSON report; all but the last line of CSV and HTML.</param>
/// <param name="DocumentSha256">SHA-256 (hex) of the report's canonical JSON, the same in every format of one report.</param>
[GenerateSerializer, Immutable, Alias("review-download")]
public sealed record ReviewDownload(
    [property: Id(0)] byte[] Content,
    [property: Id(1)] string ContentType,
    [property: Id(2)] string FileName,
    [property: Id(3)] string Signature,
    [property: Id(4)] string DocumentSha256,
    [property: Id(5)] bool Interim,
    [property: Id(6)] string Trigger);

[GenerateSerializer, Immutable, Alias("review-verification")]
public sealed record ReviewVerification(
    [property: Id(0)] bool Valid,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? KeyId,
    [property: Id(3)] string Format);

public static class ReviewFormats
{
    public const string Html = "html";
    public const string Csv = "csv";
    public const string Json = "json";

    public static readonly IReadOnlyList<string> All = [Html, Csv, Json];
}
