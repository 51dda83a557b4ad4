/*  bench_chouse: resolving 20,000 suppliers against a 1,000,000-row file in
    the layout of Companies House's BasicCompanyData (55 columns, every
    cell quoted, the real header), as socval suppliers resolve does it.

    Half the suppliers are wanted by number, half by name; every one is in
    the file once. The reference is the same file read through sv_csv with
    nothing wanted (the reading alone): the ratio says what matching costs.
    The peak resident memory (VmHWM) of this process, which holds the
    suppliers wanted and never the file, must stay under 64 MB.

    Usage: bench_chouse [--rows N]      (default 1,000,000)
*/

#include <czmq.h>
#include "sv_chouse.h"
#include "testkit.h"

#define S_WANTED 20000

static const char *s_header =
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,"
    "Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
    "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
    "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,"
    "SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,"
    "LimitedPartnerships.NumLimPartners,URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName,"
    " PreviousName_2.CONDATE, PreviousName_2.CompanyName,PreviousName_3.CONDATE,"
    " PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,"
    "PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE,"
    " PreviousName_6.CompanyName,PreviousName_7.CONDATE, PreviousName_7.CompanyName,"
    "PreviousName_8.CONDATE, PreviousName_8.CompanyName,PreviousName_9.CONDATE,"
    " PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,"
    "ConfStmtNextDueDate, ConfStmtLastMadeUpDate\r\n";

static void
s_count (const sv_chouse_result_t *result, void *arg)
{
    if (!streq (result->outcome, "not found") && !streq (result->outcome, "ambiguous"))
        (*(size_t *) arg)++;
}

int
main (int argc, char *argv [])
{
    long rows = argc > 2 && streq (argv [1], "--rows")? atol (argv [2]): 1000000;
    char *path = zsys_sprintf ("/tmp/sv_bench_chouse_%d.csv", getpid ());
    FILE *file = fopen (path, "w");
    assert (file);
    fputs (s_header, file);
    for (long row = 0; row < rows; row++)
        fprintf (file, "\"COMPANY %ld TRADING LIMITED\",\"%08ld\",\"\",\"\",\"UNIT %ld\","
                 "\"HIGH STREET\",\"ROTHERHAM\",\"\",\"UNITED KINGDOM\",\"S60 %ldAB\","
                 "\"Private Limited Company\",\"Active\",\"United Kingdom\",\"\",\"01/02/2010\","
                 "\"31\",\"3\",\"31/12/2026\",\"31/03/2025\",\"TOTAL EXEMPTION FULL\",\"\",\"\","
                 "\"0\",\"0\",\"0\",\"0\",\"81210 - General cleaning of buildings\",\"\",\"\","
                 "\"\",\"0\",\"0\",\"http://business.data.gov.uk/id/company/%08ld\""
                 ",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
                 "\"\",\"\",\"\",\"\",\"01/03/2027\",\"01/02/2026\"\r\n",
                 row, row + 1, row % 97, row % 10, row + 1);
    assert (fclose (file) == 0);
    struct stat status;
    assert (stat (path, &status) == 0);

    //  The reference: the file read, nothing wanted
    sv_chouse_t *chouse = sv_chouse_new (NULL, NULL);
    int64_t start = testkit_now_us ();
    assert (sv_chouse_read_file (chouse, path) == 0);
    double reading = (testkit_now_us () - start) / 1e6;
    assert (sv_chouse_rows (chouse) == (size_t) rows);
    sv_chouse_destroy (&chouse);

    //  20,000 suppliers: every 50th company, by number and by name in turn
    chouse = sv_chouse_new (NULL, NULL);
    long step = rows / S_WANTED > 0? rows / S_WANTED: 1;
    size_t wanted = 0;
    for (long row = 0; row < rows && wanted < S_WANTED; row += step, wanted++) {
        char key [64], number [24], name [64];
        snprintf (number, sizeof number, "%08ld", row + 1);
        snprintf (name, sizeof name, "Company %ld Trading Ltd", row);
        if (wanted % 2)
            snprintf (key, sizeof key, "ID:S%ld", row);
        else
            snprintf (key, sizeof key, "CH:%s", number);
        sv_chouse_want (chouse, key, wanted % 2? "": number, wanted % 2? name: "");
    }
    start = testkit_now_us ();
    assert (sv_chouse_read_file (chouse, path) == 0);
    double resolving = (testkit_now_us () - start) / 1e6;
    size_t found = 0;
    sv_chouse_each (chouse, s_count, &found);
    sv_chouse_destroy (&chouse);
    long peak = testkit_peak_kb (getpid ());
    unlink (path);
    zstr_free (&path);

    printf ("resolving %zu suppliers (%zu found) against %ld rows (%.0f MB): %.2f s;"
            " reading alone %.2f s; peak %.1f MB\n", wanted, found, rows,
            status.st_size / 1048576.0, resolving, reading, peak / 1024.0);
    printf ("BENCH|chouse: %zu suppliers resolved against a %ld-row BasicCompanyData file,"
            " vs the file read with none wanted|%.0f|rows/s|%.0f|rows/s|%.2f|<= 2|%s\n",
            wanted, rows, rows / resolving, rows / reading, resolving / reading,
            resolving / reading <= 2 && found == wanted? "yes": "no");
    printf ("PEAK|socval suppliers resolve|%.1f|< 64\n", peak / 1024.0);
    return found == wanted && peak < 64 * 1024? 0: 1;
}
