using Ledger.ReadModels;

namespace Ledger.Enterprises;

/// <summary>Keeps <c>enterprises</c>: USCC, name and county of every registered enterprise, for reports and histories.</summary>
public sealed class EnterpriseProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.Enterprises];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case EnterpriseRegistered e:
                writer.Insert(ReadTables.Enterprises, e.EnterpriseId, e.Uscc, e.Name, e.CountyCode);
                break;
            case EnterpriseRelocated e:
                writer.Update(ReadTables.Enterprises, [e.EnterpriseId], new Assignment("county_code", e.ToCountyCode));
                break;
            case EnterpriseDetailsCorrected e:
                foreach (var correction in e.Corrections)
                {
                    var column = correction.Field switch
                    {
                        EnterpriseField.Name => "name",
                        EnterpriseField.County => "county_code",
                        _ => null,
                    };
                    if (column is not null)
                    {
                        writer.Update(ReadTables.Enterprises, [e.EnterpriseId], new Assignment(column, correction.NewValue));
                    }
                }
                break;
        }
    }
}
