using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Imports;
using Crm.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Crm.Web.Components.Pages.Imports;

/// <summary>The mapping, options and file settings of a draft import, its test run, and its start.</summary>
public partial class ImportSetup
{
    private const string NewCustomField = "__new";

    [Parameter, EditorRequired] public ImportDraft Draft { get; set; } = default!;
    /// <summary>Called after the file was read again, with the new draft.</summary>
    [Parameter] public EventCallback<ImportDraft> DraftChanged { get; set; }
    /// <summary>Called once the import has started.</summary>
    [Parameter] public EventCallback Started { get; set; }

    private List<ColumnState> _columns = [];
    private OptionsState _options = new();
    private SettingsState _settings = new();
    private bool _showSettings;
    private bool _showEmpty;
    private string? _announcement;
    private bool _busy;
    private bool _testing;
    private DryRunResult? _test;
    private IReadOnlyList<string>? _errors;
    private IReadOnlyList<PipelineView>? _pipelines;
    private ImportDraft? _loaded;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_loaded, Draft)) return;
        _loaded = Draft;
        _columns = Draft.Mapping.Columns.Select(c => new ColumnState
        {
            Index = c.Index,
            Header = c.Header,
            Field = c.NewCustomFieldLabel is not null ? NewCustomField : c.Field ?? "",
            NewLabel = c.NewCustomFieldLabel ?? c.Header,
            DateFormat = c.DateFormat,
            NumberCulture = c.NumberCulture,
            PhoneCountry = c.PhoneCountry,
            ValueMap = c.ValueMap is null ? new(StringComparer.Ordinal) : new(c.ValueMap, StringComparer.Ordinal),
            OnInvalid = c.OnInvalid,
            Samples = Samples(c.Index),
            Profile = Draft.Inspection.ColumnAt(c.Index),
        }).ToList();
        _showEmpty = false;
        var options = Draft.Options;
        _options = new OptionsState
        {
            Strategy = options.Strategy, MatchField = options.MatchField, CreateMissingAccounts = options.CreateMissingAccounts,
            DefaultPhoneCountry = options.DefaultPhoneCountry, DryRunRows = options.DryRunRows,
        };
        var settings = Draft.Inspection.Settings;
        _settings = new SettingsState
        {
            Format = settings.Format, Encoding = settings.Encoding, Delimiter = settings.Delimiter, HeaderRow = settings.HeaderRow,
            Sheet = settings.Sheet ?? Draft.Inspection.Sheets.FirstOrDefault(),
        };
        _test = null;
        _errors = null;
    }

    protected override async Task OnInitializedAsync() => _pipelines = await Pipelines.HandleAsync();

    /// <summary>A few values of the column: from the first rows, or — when those are empty there — its most frequent ones further down.</summary>
    private List<string> Samples(int index)
    {
        var first = Draft.Inspection.SampleRows.Select(r => index < r.Length ? r[index] : null).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!);
        var frequent = Draft.Inspection.ColumnAt(index).Values?.Select(v => v.Value) ?? [];
        return first.Concat(frequent).Distinct().Take(3).Select(v => v.Length > 80 ? v[..80] + "…" : v).ToList();
    }

    private sealed class ColumnState
    {
        public int Index { get; init; }
        public string Header { get; init; } = "";
        public string Field { get; set; } = "";
        public string? NewLabel { get; set; }
        public string? DateFormat { get; set; }
        public string? NumberCulture { get; set; }
        public string? PhoneCountry { get; set; }
        public Dictionary<string, string> ValueMap { get; set; } = new(StringComparer.Ordinal);
        public InvalidValueAction OnInvalid { get; set; }
        public List<string> Samples { get; init; } = [];
        public ColumnProfile Profile { get; init; } = new(1, null);
    }

    private sealed class OptionsState
    {
        public DuplicateStrategy Strategy { get; set; }
        public string? MatchField { get; set; }
        public bool CreateMissingAccounts { get; set; }
        public string DefaultPhoneCountry { get; set; } = "US";
        public int DryRunRows { get; set; } = 100;
    }

    private sealed class SettingsState
    {
        public ImportFormat Format { get; set; }
        public string? Encoding { get; set; }
        public char? Delimiter { get; set; }
        public int HeaderRow { get; set; } = 1;
        public string? Sheet { get; set; }
    }

    private string FieldLabel(string key) => key switch
    {
        "" => "Don't import",
        NewCustomField => "New custom field…",
        _ => Draft.Fields.FirstOrDefault(f => f.Key == key)?.Label ?? key,
    };

    private static string DelimiterLabel(char? delimiter) => ImportLabels.Delimiters.FirstOrDefault(d => d.Value == delimiter).Label is { } label ? $"Delimiter: {label}" : "Delimiter: ,";

    private ImportField? FieldOf(ColumnState column) => Draft.Fields.FirstOrDefault(f => f.Key == column.Field);

    private string? DuplicateOf(ColumnState column) =>
        column.Field is "" or NewCustomField || FieldOf(column) is { AllowsSeveralColumns: true } ? null
            : _columns.FirstOrDefault(c => c != column && c.Field == column.Field)?.Header;

    private bool MapsAccounts => _columns.Any(c => c.Field is "company" or "companyDomain");

    private IEnumerable<ImportField> MatchCandidates()
    {
        var mapped = _columns.Select(c => c.Field).ToHashSet();
        return Draft.Fields.Where(f => f.CanMatch && (mapped.Contains(f.Key) || f.Key == _options.MatchField));
    }

    private void FieldChanged(ColumnState column, string value)
    {
        column.Field = value;
        column.ValueMap.Clear();
        if (value == NewCustomField && string.IsNullOrWhiteSpace(column.NewLabel)) column.NewLabel = column.Header;
        _errors = null;
    }

    private void MapValue(ColumnState column, string from, string? to)
    {
        if (string.IsNullOrEmpty(to)) column.ValueMap.Remove(from);
        else column.ValueMap[from] = to;
    }

    private IReadOnlyList<string> ChoicesFor(string field) =>
        UnknownPicklistValues.Options(Draft.Fields.FirstOrDefault(f => f.Key == field)?.Kind ?? ImportFieldKind.Picklist, _pipelines ?? []);

    /// <summary>Columns shown in the table: those with a value in some row, and every column once the admin unfolds the empty ones.</summary>
    private IEnumerable<ColumnState> ShownColumns => _showEmpty ? _columns : _columns.Where(c => !c.Profile.IsEmpty);

    private int EmptyColumns => _columns.Count(c => c.Profile.IsEmpty);

    /// <summary>Mapped picklist columns and the file's values no option takes, found before any test; null values: too many to list.</summary>
    private IEnumerable<(ColumnState Column, ImportField Field, IReadOnlyList<ValueCount>? Values)> UnmatchedValues() =>
        _pipelines is null ? [] : _columns
            .Select(c => (Column: c, Field: FieldOf(c)))
            .Where(x => x.Field is { } f && UnknownPicklistValues.IsPicklist(f.Kind) && !x.Column.Profile.IsEmpty)
            .Select(x => (x.Column, x.Field!, UnknownPicklistValues.Of(x.Field!.Kind, x.Column.Profile, _pipelines)))
            .Where(x => x.Item3 is not { Count: 0 });

    /// <summary>The test's unmatched values of columns the profile could not list (too many different values); the others are mapped above already.</summary>
    private IEnumerable<UnknownValues> TestOnlyUnknown(DryRunResult test) =>
        test.UnknownPicklistValues.Where(u => _columns.FirstOrDefault(c => c.Index == u.ColumnIndex) is not { } c || c.Profile.Values is null);

    private ImportMapping Mapping() => new()
    {
        Columns = _columns.Select(c => new ColumnMapping
        {
            Index = c.Index,
            Header = c.Header,
            Field = c.Field is "" or NewCustomField ? null : c.Field,
            NewCustomFieldLabel = c.Field == NewCustomField ? c.NewLabel : null,
            DateFormat = c.DateFormat,
            NumberCulture = c.NumberCulture,
            PhoneCountry = string.IsNullOrWhiteSpace(c.PhoneCountry) ? null : c.PhoneCountry.Trim().ToUpperInvariant(),
            ValueMap = c.ValueMap.Count == 0 ? null : new Dictionary<string, string>(c.ValueMap, StringComparer.Ordinal),
            OnInvalid = c.Field == _options.MatchField || c.Field == "id" ? InvalidValueAction.RefuseRow : c.OnInvalid,
        }).ToList(),
    };

    private ImportOptions Options() => new()
    {
        Strategy = _options.Strategy,
        MatchField = _options.Strategy == DuplicateStrategy.CreateNew ? null : _options.MatchField,
        CreateMissingAccounts = _options.CreateMissingAccounts,
        DefaultPhoneCountry = (_options.DefaultPhoneCountry ?? "").Trim().ToUpperInvariant(),
        DryRunRows = _options.DryRunRows,
    };

    /// <summary>Runs a use case with the page busy; refusals become the error list above the buttons.</summary>
    private async Task<bool> RunAsync(Func<Task> action)
    {
        _busy = true;
        _errors = null;
        try
        {
            await action();
            return true;
        }
        catch (ValidationFailedException e)
        {
            _errors = e.Errors.SelectMany(x => x.Value).ToList();
            return false;
        }
        catch (Exception e) when (Feedback.Message(e) is { } message)
        {
            _errors = [message];
            return false;
        }
        finally
        {
            _busy = false;
            _testing = false;
        }
    }

    private async Task TestAsync()
    {
        _testing = true;
        _announcement = null;
        await RunAsync(async () => _test = await DryRun.HandleAsync(Draft.ImportId, Mapping(), Options()));
        _announcement = _test is { } test
            ? $"Test finished: {Labels.Number(test.WouldCreate)} would be created, {Labels.Number(test.WouldUpdate)} updated, {Labels.Number(test.WouldSkip)} skipped, {Labels.Number(test.WouldFail)} with errors."
            : _errors is { Count: > 0 } ? "The test could not run: " + string.Join(" ", _errors) : null;
    }

    private async Task StartAsync()
    {
        // Never tested: the test runs now, and what it finds is shown and asked about before anything is written.
        if (_test is null)
        {
            _testing = true;
            if (!await RunAsync(async () => _test = await DryRun.HandleAsync(Draft.ImportId, Mapping(), Options())) || _test is not { } test) return;
            if (test.WouldFail > 0 || test.ValuesLeftEmpty > 0 || test.UnknownPicklistValues.Count > 0)
            {
                var found = new[]
                {
                    test.WouldFail > 0 ? $"{Labels.Count(test.WouldFail, "row")} would be refused" : null,
                    test.ValuesLeftEmpty > 0 ? $"{Labels.Count(test.ValuesLeftEmpty, "value")} would be left empty" : null,
                    test.UnknownPicklistValues.Count > 0 ? $"{Labels.Count(test.UnknownPicklistValues.Count, "column")} {(test.UnknownPicklistValues.Count == 1 ? "has" : "have")} values with no match" : null,
                }.OfType<string>();
                if (!await ConfirmDialog.AskAsync(Dialogs, "Start with these problems?",
                        $"A test of the first {Labels.Count(test.TotalRows, "row")} found that {string.Join(", ", found)}. The details are under the mapping; fix them first, or start anyway.",
                        "Start anyway", destructive: false))
                    return;
            }
        }
        if (await RunAsync(() => Start.HandleAsync(Draft.ImportId, Mapping(), Options())))
            await Started.InvokeAsync();
    }

    private async Task ReadAgainAsync()
    {
        var settings = new ImportFileSettings
        {
            Format = _settings.Format, Encoding = _settings.Encoding, Delimiter = _settings.Delimiter, HeaderRow = _settings.HeaderRow,
            Sheet = _settings.Format == ImportFormat.Xlsx ? _settings.Sheet : null,
        };
        ImportDraft? draft = null;
        if (await RunAsync(async () => draft = await Reinspect.HandleAsync(Draft.ImportId, settings)) && draft is not null)
            await DraftChanged.InvokeAsync(draft);
    }

    private async Task SaveTemplateAsync()
    {
        var reference = await Dialogs.ShowAsync<TemplateNameDialog>("Save the mapping as a template", new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await reference.Result is not { Canceled: false, Data: string name }) return;
        if (await RunAsync(() => SaveTemplate.HandleAsync(Draft.ImportId, name, Mapping(), Options(), Draft.Inspection.Headers)))
            Snackbar.Add($"Saved. Files with these columns will use “{name}” automatically.", Severity.Success);
    }

    private async Task DiscardAsync()
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, "Discard this import?", "The uploaded file is deleted. Nothing was imported from it.", "Discard")) return;
        if (await RunAsync(() => Discard.HandleAsync(Draft.ImportId))) Navigation.NavigateTo("/imports");
    }
}
