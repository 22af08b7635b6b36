using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Ledger.EventStore.Serialization;

/// <summary>The one JSON form of events and metadata: camelCase, NodaTime as ISO text, enums as kebab-case names, decimals exact.</summary>
public static class LedgerJson
{
    /// <summary>Options shared by the store, fingerprints, the API and exports (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = Freeze(CreateMutable());

    /// <summary>A fresh, still mutable copy of the options, for Marten's serializer to take over.</summary>
    public static JsonSerializerOptions CreateMutable()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Chinese text stays readable in jsonb and exports instead of \uXXXX escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }

    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
