//! Masking of personal data for responses and logs.

/// Masks a name as Korean services do. A Hangul name keeps its first and last
/// syllable and masks those between (`홍길동` → `홍*동`, `남궁민수` → `남**수`); a
/// two-syllable name keeps the first (`이솔` → `이*`). Any other word keeps its first
/// character (`Kim Minji` → `K** M****`); a single character is masked whole.
pub fn mask_name(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let chars: Vec<char> = word.chars().collect();
            let hangul = chars.iter().all(|c| ('가'..='힣').contains(c));
            chars
                .iter()
                .enumerate()
                .map(|(at, &c)| {
                    let shown = (at == 0 && chars.len() > 1)
                        || (hangul && chars.len() > 2 && at == chars.len() - 1);
                    if shown { c } else { '*' }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Shows only the last four characters of an identifier (account or phone number):
/// every other digit becomes `*`, separators stay.
pub fn mask_all_but_last_four(value: &str) -> String {
    let digits = value.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen + 4 > digits { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_names_keep_their_first_and_last_syllable() {
        assert_eq!(mask_name("홍길동"), "홍*동");
        assert_eq!(mask_name("남궁민수"), "남**수");
        assert_eq!(mask_name("이솔"), "이*");
        assert_eq!(mask_name("김"), "*");
        assert_eq!(mask_name("제갈 공명"), "제* 공*");
    }

    #[test]
    fn other_names_keep_only_their_initials() {
        assert_eq!(mask_name("Kim Minji"), "K** M****");
        assert_eq!(mask_name("(주)한강물류"), "(******");
    }

    #[test]
    fn identifiers_show_only_their_last_four_digits() {
        assert_eq!(mask_all_but_last_four("123-456-789012"), "***-***-**9012");
        assert_eq!(mask_all_but_last_four("12"), "12");
    }
}
