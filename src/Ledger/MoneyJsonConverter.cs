using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger;

/// <summary>Money as a JSON number in 元 (jsonb keeps numerics exact); reading refuses more than 2 places.</summary>
public sealed class MoneyJsonConverter : JsonConverter<Money>
{
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var yuan)
            ? Money.Of(yuan)
            : throw new JsonException("an amount must be a JSON number in 元 with at most 2 decimals");

    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.Yuan);
}
