using Ledger.Reference;

namespace Ledger.Imports.Generation;

public static class DemoDataset
{
    public static GenerationResult Write(ReferenceData reference, string directory) => throw new NotImplementedException();
}
