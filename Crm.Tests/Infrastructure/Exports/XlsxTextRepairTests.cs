using System.IO.Compression;
using System.Text;
using Crm.Infrastructure.Exports;

namespace Crm.Tests.Infrastructure.Exports;

public class XlsxTextRepairTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(19)]
    public void Repair_WritesPairsAsCharactersAndCarriageReturnsAsReferences_WhereverTheBlocksEnd(int shift)
    {
        // An escaped emoji, a CR and an escaped literal placed across the reader's 64K block boundary.
        var prefix = new string('a', (1 << 16) - shift);
        var sheet = prefix + "_xD83D__xDE80_|\r\n|_x005F_xD83D__xDE80_|" + new string('b', 100) + "_xD83D__xDE80_";
        using var workbook = new MemoryStream();
        using (var zip = new ZipArchive(workbook, ZipArchiveMode.Create, leaveOpen: true))
        using (var part = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open(), new UTF8Encoding(false)))
            part.Write(sheet);
        workbook.Position = 0;
        using var output = new MemoryStream();

        XlsxTextRepair.Repair(workbook, output, TestContext.Current.CancellationToken);

        output.Position = 0;
        using var repaired = new ZipArchive(output, ZipArchiveMode.Read);
        var text = new StreamReader(repaired.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEnd();
        Assert.Equal(prefix + "🚀|&#13;\n|_x005F_xD83D__xDE80_|" + new string('b', 100) + "🚀", text);
    }
}
