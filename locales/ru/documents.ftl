# Выписки и справки (PDF), их краткое содержание в чате и ответы на /verify.

doc-fund-short = ЕНПФ
doc-fund-name = Единый накопительный пенсионный фонд (ЕНПФ)
doc-statement-title = Выписка по пенсионным счетам
doc-accounts-certificate-title = Справка о наличии пенсионных счетов
doc-oppv-certificate-title = Справка об обязательных профессиональных пенсионных взносах
doc-number = № { $number }
doc-generated = Сформирована { $time } (время Казахстана, UTC+5)
doc-verify-hint = Чтобы проверить подлинность документа, отправьте боту /verify { $number }.
doc-page = Страница { $page } из { $pages }

doc-depositor = Вкладчик
doc-iin = ИИН
doc-period = Период
doc-period-value = { $from } – { $to }
doc-accounts = Счета
doc-accounts-all = все
doc-balance-date = Остатки на дату
doc-amounts-note = Суммы указаны в тенге (₸). Выплаты, переводы и комиссии показаны со знаком минус.

doc-account-opv = Обязательные пенсионные взносы (ОПВ)
doc-account-oppv = Обязательные профессиональные пенсионные взносы (ОППВ)
doc-account-opvr = Обязательные пенсионные взносы работодателя (ОПВР)
doc-account-dpv = Добровольные пенсионные взносы (ДПВ)
doc-account-short-opv = ОПВ
doc-account-short-oppv = ОППВ
doc-account-short-opvr = ОПВР
doc-account-short-dpv = ДПВ
doc-account-opened = открыт { $date }
doc-continued = { $account } (продолжение)

doc-op-contribution = Взнос
doc-op-investment-income = Инвестиционный доход
doc-op-payout = Выплата
doc-op-transfer = Перевод
doc-op-fee = Комиссия

doc-col-date = Дата
doc-col-operation = Операция
doc-col-payer = Плательщик
doc-col-period = За месяц
doc-col-amount = Сумма
doc-col-kind = Вид операции
doc-col-count = Количество
doc-col-account = Счёт
doc-col-opened = Дата открытия
doc-col-balance = Остаток на { $date }
doc-col-month = Месяц
doc-col-credited = Дата зачисления

doc-opening = Входящий остаток на { $date }
doc-closing = Исходящий остаток на конец дня { $date }
doc-totals = Итого за период
doc-net-change = Изменение за период
doc-no-operations = За этот период операций по счёту не было.
doc-no-accounts = У вкладчика нет пенсионных счетов в фонде.

doc-accounts-certificate-intro = Единый накопительный пенсионный фонд подтверждает, что у указанного выше вкладчика открыты следующие индивидуальные пенсионные счета. Остатки указаны на конец дня { $date }.
doc-oppv-certificate-intro = Обязательные профессиональные пенсионные взносы (ОППВ), зачисленные на счёт вкладчика, по месяцам, за которые они уплачены, по состоянию на конец дня { $date }.
doc-oppv-opened = Счёт открыт
doc-oppv-total = Итого взносов
doc-oppv-months = Месяцев со взносами
doc-oppv-balance = Остаток на счёте
doc-oppv-none = Профессиональные пенсионные взносы на счёт не поступали.

doc-summary-statement =
    Выписка { $number } за период { $from } – { $to }:
    { $accounts }
doc-summary-account = { $account }: { $opening } → { $closing } (поступило { $inflow }, списано { $outflow })
doc-summary-no-accounts = У вас нет пенсионных счетов.
doc-summary-accounts-certificate =
    Справка { $number } о наличии счетов, остатки на { $date }:
    { $accounts }
doc-summary-balance = { $account }: { $balance } (открыт { $opened })
doc-summary-oppv = Справка { $number } о профессиональных взносах: { $months } { $months ->
        [one] месяц
        [few] месяца
       *[many] месяцев
    } со взносами, всего { $total }.

doc-kind-statement = выписка по пенсионным счетам
doc-kind-accounts-certificate = справка о наличии пенсионных счетов
doc-kind-oppv-certificate = справка о профессиональных пенсионных взносах
doc-verify-found = Документ { $number } подлинный: { $kind }, выдан { $issued } (время Казахстана) вкладчику с ИИН { $iin }.
doc-verify-found-period = Документ { $number } подлинный: { $kind } за период { $from } – { $to }, выдан { $issued } (время Казахстана) вкладчику с ИИН { $iin }.
doc-verify-found-on = Документ { $number } подлинный: { $kind } на { $date }, выдан { $issued } (время Казахстана) вкладчику с ИИН { $iin }.
doc-verify-unknown = Документ с номером { $number } не выдавался. Сверьте номер с документом: он напечатан вверху каждой страницы.
doc-verify-malformed = Это не номер документа. Номер выглядит так: ZS-8K2QW7XD4M9 — он напечатан вверху каждой страницы.
