using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SafetyNet.Contracts;

namespace SafetyNet.Api.Contracts;

/// <summary>
/// Describes the enums read by <see cref="StrictEnumConverter{T}"/> in the OpenAPI document as what they are on the wire:
/// a string, one of their names. (The schema exporter knows only the built-in enum converter and would say "anything".)
/// </summary>
public sealed class EnumSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var nullable = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type);
        var type = nullable ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType == typeof(StrictEnumConverter<>).MakeGenericType(type))
        {
            var names = (IEnumerable<string>)typeof(EnumNames<>).MakeGenericType(type).GetProperty(nameof(EnumNames<DayOfWeek>.Names))!.GetValue(null)!;
            schema.Type = nullable is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Enum = names.Select(n => (JsonNode)JsonValue.Create(n)).ToList();
            if (nullable is not null) schema.Enum.Add(null!);
        }
        return Task.CompletedTask;
    }
}
