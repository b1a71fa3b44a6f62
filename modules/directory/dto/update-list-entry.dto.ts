import { PartialType } from '@nestjs/swagger';
import { CreateListEntryDto } from './create-list-entry.dto';

/** Archiving and restoring have their own routes, so the active flag is not edited here. */
export class UpdateListEntryDto extends PartialType(CreateListEntryDto) {}
