namespace Crm.Core.Duplicates;

/// <summary>
/// Common given names (folded: lower case, no accents) from many languages. Two names one letter apart are usually a
/// typo — unless both are real given names ("Maria" and "Mario", "Christina" and "Christine", "Ivan" and "Ian"):
/// then they are two people, and the engine does not call them duplicates.
/// </summary>
public static class GivenNames
{
    private static readonly HashSet<string> Names = new(("""
        aaron abby abdul abigail ada adam adel adela adele adrian adriana adrien agata agatha agnes agnieszka ahmed ahmet aidan aiden aileen aisha
        ajay alain alan alana albert alberta alberto alec alejandra alejandro aleksandra aleksander alex alexa alexander alexandra alexandre alexis
        alfred alfredo ali alice alicia alina aline alison allan allen alma alvaro amanda amber amelia amelie amir amy ana anders andre andrea andreas
        andrei andres andrew andrey andy angel angela angelica angelina angelo angie anita anja ann anna annabel anne annette annie anouk anthony
        anton antonia antonio anya april arjun arnaud arne arthur asa ashley astrid aurora austin ava axel aya ayse barbara barry bart beatrice
        beatriz becky ben benedict benedicte benjamin bernard bernd bert beth betty bianca bill billy bjorn blake bob bobby bonnie boris brad brandon
        brenda brendan brian bridget brigitte britta brooke bruce bruno bryan caitlin caleb camila camille candice cara carl carla carlo carlos carmen
        carol carole caroline carolyn carrie casey catherine cathy cecile cecilia celine cesar chad charles charlie charlotte chelsea cheryl chidi
        chiara chloe chris christa christian christiane christina christine christoph christophe christopher cindy claire clara clare claude claudia
        clement colin connor constance cora corinne craig cristina cynthia dagny daisy dale dan dana daniel daniela daniele danielle danny dario
        david dawn dean debbie debora deborah debra denis denise dennis derek diana diane diego dimitri dina dirk dmitri dmitry dominic dominik
        dominique don donald donna dora doris dorothy doug douglas duncan dylan ed eddie edgar edith eduardo edward edwin eileen elaine elena eleanor
        eli elias elif elin elisa elisabeth elise eliza elizabeth ella ellen ellie elsa emil emile emilia emilie emily emma emre enrique enzo eric
        erica erik erika erin ernst esther ethan eugene eva evan eve evelyn ewa fabian fabio fatima federico felipe felix fernando filip fiona
        florence francesca francesco francis francisco franck francois frank franz fred freddie frederic frederick freya frida gabriel gabriela
        gabriele gabrielle gael gaelle gareth gary gavin gemma geoffrey george georgia gerald gerard gerhard giorgio giovanni gisele giulia giuseppe
        glen glenn gloria grace graham grant greg gregory greta guillaume gunnar gustav guy hakan hana hanna hannah hans harold harry hassan heather
        hector heidi helen helena helene heloise henri henrik henry herbert hiroshi holly howard hugo ian ida ignacio igor ilse imran ines inga
        ingrid irene iris isaac isabel isabella isabelle ivan ivana jack jackie jacob jacqueline jacques jade jaime jake james jamie jan jana jane
        janet janice janine jaroslav jasmine jason javier jay jean jeanne jeff jeffrey jen jennifer jenny jens jeremy jerome jerry jessica jesus jill
        jim jimmy jiri joan joanna joanne joao joe joel johan johann johanna john johnny jon jonas jonathan jordan jorge jose josef joseph josephine
        josh joshua joost joyce juan juana judith judy julia julian juliana julie julien juliet julio jurgen justin kai karen kari karin karina karl
        karla kasia kate katherine kathleen kathryn kathy katie katja katrin katrina kay keith kelly ken kenneth kerry kevin kim kimberly kirsten
        klaus kristen kristin kristina kurt kyle lana lara lars laura lauren laurence laurent lea leah lee leila lena leo leon leona leonard leonie
        leslie lewis liam lily lina linda lindsay lisa liz lorenzo lori louis louisa louise luc luca lucas lucia lucie lucy luis luisa luka lukas
        lukasz luke lydia lynn madeleine madison magda magdalena maggie malcolm malgorzata manuel manuela marc marcel marcella marco marcus margaret
        margarita margot maria mariana marianne marie marina mario marion marisa marius mark marko markus marta martha martin martina marty mary
        mateo mathias mathieu matt matteo matthew matthias maureen max maxime maya megan mehmet melanie melissa mia michael michaela micheal michel
        michele michelle miguel mika mike mila milan milena miriam mohamed mohammed monica monika morgan muhammad nadia nadine nancy naomi natalia
        natalie natasha nathalie nathan neil nelson ngozi nicholas nick nicola nicolas nicole niels nigel nikita nikola nikolai nils nina noah noel
        noemi noemie nora norbert norman olaf olga oliver olivia olivier omar oscar otto owen oystein pablo paloma pamela paola paolo pascal patricia
        patrick paul paula paulina pauline pavel pedro peggy penelope per peter petra phil philip philipp philippe pierre pieter pietro piotr priya
        rachel rafael raj rajesh ralph ramon randy raphael raquel raul ray raymond rebecca regina reinhard renate rene renee ricardo richard rick
        rita rob robert roberta roberto robin rodrigo roger roland ron ronald rosa rosalie rose roy ruben rudolf russell ruth ryan sabine sabrina
        sally sam samantha samir samuel sandra sara sarah sasha scott sean sebastian sebastien segolene sergei sergey sergio seth shannon sharon
        shawn sheila shirley simon simone siobhan sofia sofie sonia sonja sophia sophie soren stacy stan stefan stefanie stella stephan stephane
        stephanie stephen steve steven stuart sue susan susanne suzanne sven svetlana sylvia sylvie tamara tanja tanya tara ted teresa terry tess
        theo theresa therese thierry thomas tim timothy tina tobias todd tom tomas tommy toni tony tracy travis tyler ulrich ulrike uma ursula
        valentina valerie vanessa vera veronica veronique victor victoria vincent viola violet vivian vladimir walter wayne wei wendy werner wesley
        will william wolfgang xavier yann yasmin yuki yusuf yvonne zachary zoe zoltan zofia
        """).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>True for a common given name, folded ("zoe", "jose").</summary>
    public static bool IsKnown(string folded) => Names.Contains(folded);

    /// <summary>
    /// True when two folded full names differ in exactly one word and both versions of that word are given names
    /// ("maria garcia" / "mario garcia"): two people, not a typo.
    /// </summary>
    public static bool DifferInGivenName(string a, string b)
    {
        var (x, y) = (a.Split(' '), b.Split(' '));
        if (x.Length != y.Length) return false;
        var differing = -1;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] == y[i]) continue;
            if (differing >= 0) return false;
            differing = i;
        }
        return differing >= 0 && IsKnown(x[differing]) && IsKnown(y[differing]);
    }
}
