using System.Text;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Reviews;

/// <summary>A report as stored (deploy/sql/*/…_review_report.sql): its canonical JSON, hash and signature.</summary>
public sealed record StoredReview(string District, string Month, DateTimeOffset ProducedAt, string Trigger, byte[] Document, string Sha256, string Signature);

public sealed class ReviewStore(SafetyNetDatabase database, DatabaseOutageGuard guard)
{
    /// <summary>Stores the report unless one is stored for its district and month already; true when this one was stored.</summary>
    public Task<bool> TryAddAsync(StoredReview review) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO review_report (district_code, month, produced_at_ms, trigger_kind, document, sha256, signature)
            VALUES (@district, @month, @produced, @trigger, @document, @sha256, @signature)
            ON CONFLICT (district_code, month) DO NOTHING
            """;
        command.WithParameter("@district", review.District).WithParameter("@month", review.Month)
            .WithParameter("@produced", review.ProducedAt.ToUnixTimeMilliseconds()).WithParameter("@trigger", review.Trigger)
            .WithParameter("@document", Encoding.UTF8.GetString(review.Document)).WithParameter("@sha256", review.Sha256)
            .WithParameter("@signature", review.Signature);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    });

    public Task<StoredReview?> GetAsync(string district, string month) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT produced_at_ms, trigger_kind, document, sha256, signature FROM review_report
            WHERE district_code = @district AND month = @month
            """;
        command.WithParameter("@district", district).WithParameter("@month", month);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new StoredReview(district, month, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1),
            Encoding.UTF8.GetBytes(reader.GetString(2)), reader.GetString(3), reader.GetString(4));
    });
}
