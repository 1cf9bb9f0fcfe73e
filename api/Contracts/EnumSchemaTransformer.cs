using System.Text.Json.Nodes;
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
        var type = context.JsonTypeInfo.Type;
        if (type.IsEnum && context.JsonTypeInfo.Converter.GetType() == typeof(StrictEnumConverter<>).MakeGenericType(type))
        {
            var names = (IEnumerable<string>)typeof(EnumNames<>).MakeGenericType(type).GetProperty(nameof(EnumNames<DayOfWeek>.Names))!.GetValue(null)!;
            schema.Type = JsonSchemaType.String;
            schema.Enum = names.Select(n => (JsonNode)JsonValue.Create(n)).ToList();
        }
        return Task.CompletedTask;
    }
}
