using Ledger.Reference;

namespace Ledger.Tests.Reference;

/// <summary>The reference data the build ships (copied to reference/ beside the test binaries), loaded once.</summary>
internal static class ShippedReferenceData
{
    private static readonly Lazy<ReferenceData> Loaded =
        new(() => ReferenceDataLoader.Load(Path.Combine(AppContext.BaseDirectory, "reference")));

    public static ReferenceData Instance => Loaded.Value;
}
