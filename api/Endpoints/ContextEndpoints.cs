using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Contracts;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Import;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Api.Endpoints;

public static class ContextEndpoints
{
    public static void MapContextEndpoints(this IEndpointRouteBuilder api, ApiOptions options)
    {
        var context = api.MapGroup("/context").WithTags("Context layers");
        context.MapGet("/", Nearby).RequireAuthorization(Policies.AnyRole).WithSummary("Parking, hazardous materials, hydrants and shelters near a point");
        context.MapPost("/{layer}/import", Import).RequireAuthorization(Policies.PlatformAdmin)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxImportBytes))
            .WithSummary("Import a layer from a GeoJSON FeatureCollection of Points: properties id, name and the layer's own (docs/context-layers.md), " +
                "checked by type; a feature with a bad one is rejected and reported by row");
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> Nearby(IGrainFactory grains, RegionBounds region, double? lat, double? lon, double radius = 500, string? layers = null)
    {
        if (CameraEndpoints.PointError(lat, lon, region) is { } pointError) return Problems.BadRequest(pointError);
        if (!double.IsFinite(radius) || radius <= 0 || radius > 5000) return Problems.BadRequest("radius must be in (0, 5000] meters.");
        var names = layers?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [.. ContextLayers.Known];
        if (names.FirstOrDefault(n => !ContextLayers.Known.Contains(n)) is { } unknown)
            return Problems.BadRequest($"Unknown layer '{unknown}'. Known layers: {string.Join(", ", ContextLayers.Known)}.");
        var center = new GeoPoint(lat!.Value, lon!.Value);
        var results = await Task.WhenAll(names.Select(n => grains.GetGrain<IContextLayerGrain>(n).NearbyAsync(center, radius, 100).AsTask()));
        return TypedResults.Ok<object>(new { items = results.SelectMany(r => r).OrderBy(f => f.DistanceMeters) });
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> Import(string layer, HttpRequest http, IGrainFactory grains, RegionBounds region, string? mode = null)
    {
        if (!ContextLayers.Known.Contains(layer)) return Problems.NotFound($"Unknown layer '{layer}'. Known layers: {string.Join(", ", ContextLayers.Known)}.");
        if (mode is not (null or "merge" or "replace")) return Problems.BadRequest("mode must be merge (the default: add and update by id) or replace (the layer becomes the file).");
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"Malformed JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                return Problems.BadRequest("The body is not a GeoJSON FeatureCollection with a 'features' array.");
            GeoJsonCrs crs;
            try
            {
                crs = GeoJsonCrs.Of(document.RootElement);
            }
            catch (InvalidDataException e)
            {
                return Problems.BadRequest(e.Message);
            }
            var accepted = new List<ContextFeature>();
            var errors = new List<RowError>();
            var rejected = 0;
            var index = 0;
            foreach (var feature in features.EnumerateArray())
            {
                var (parsed, error) = Parse(layer, index, feature, region, crs);
                if (parsed is not null) accepted.Add(parsed);
                else if (++rejected <= CameraImporter.MaxReportedErrors) errors.Add(new RowError(index, error!));
                index++;
            }
            var target = grains.GetGrain<IContextLayerGrain>(layer);
            if (mode == "replace")
            {
                // A responder layer half-replaced would hide what the rejected rows held: all rows or nothing.
                if (rejected > 0)
                    return Problems.BadRequest($"The layer was not replaced: {rejected} of {index} features were rejected; the first, row {errors[0].Row}: {errors[0].Reason}");
                await target.ReplaceAsync([.. accepted]);
            }
            else
                await target.UpsertAsync([.. accepted]); // in one call, so that each tile the file touches is written once
            return TypedResults.Ok<object>(new { layer, mode = mode ?? "merge", imported = accepted.Count, rejected, errors });
        }
    }

    private static (ContextFeature? Feature, string? Error) Parse(string layer, int index, JsonElement feature, RegionBounds region, GeoJsonCrs crs)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object
            || !geometry.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array || c.GetArrayLength() < 2
            || c[0].ValueKind != JsonValueKind.Number || c[1].ValueKind != JsonValueKind.Number)
            return (null, "The geometry must be a Point with numeric [longitude, latitude] coordinates.");
        var (positionX, positionY) = (c[0].GetDouble(), c[1].GetDouble());
        if (crs.IsGeographic && GeoJsonCrs.NotDegrees(positionX, positionY) is { } notDegrees) return (null, notDegrees);
        var position = crs.ToWgs84(positionX, positionY);
        if (!region.Contains(position)) return (null, $"({position.Latitude}, {position.Longitude}) is outside {region.Name}.");
        var given = new List<(string Name, string Value, bool IsString)>();
        string? id = null, name = null;
        if (feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var x in p.EnumerateObject())
            {
                if (!seen.Add(x.Name)) return (null, $"The properties repeat '{EchoedText.Cut(x.Name)}'.");
                if (x.Value.ValueKind is JsonValueKind.Null) continue;
                if (x.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) return (null, $"'{EchoedText.Cut(x.Name)}' must be a string, number or boolean.");
                var value = x.Value.ValueKind == JsonValueKind.String ? x.Value.GetString()! : x.Value.GetRawText();
                if (x.Name == "id") id = value;
                else if (x.Name == "name") name = value;
                else given.Add((x.Name, value, x.Value.ValueKind == JsonValueKind.String));
            }
        }
        id ??= $"{layer}-import-{index}";
        if (string.IsNullOrWhiteSpace(id)) return (null, "The id must not be blank.");
        if (id.Length > 128 || id.Any(char.IsControl)) return (null, "The id must be at most 128 characters, without control characters.");
        name ??= id;
        if (name.Length > ContextLayerSchema.MaxTextLength) return (null, $"The name is longer than {ContextLayerSchema.MaxTextLength} characters.");
        var (properties, invalid) = ContextLayerSchema.Validate(layer, given);
        if (properties is null) return (null, invalid);
        return (new ContextFeature(layer, id, position, name, properties), null);
    }

    private sealed record RowError(int Row, string Reason);
}
