import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompaniesController } from './companies.controller';
import { CompaniesService } from './companies.service';
import { Company } from './company.entity';
import { Contact } from './contact.entity';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { LIST_ENTRY_CONTROLLERS } from './list-entries.controller';
import { ListEntriesService } from './list-entries.service';
import { ListEntry } from './list-entry.entity';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';
import { Person } from './person.entity';
import { TeamMember } from './team-member.entity';
import { Team } from './team.entity';
import { TeamsController } from './teams.controller';
import { TeamsService } from './teams.service';

/** People, teams, companies, contacts and the small managed lists. Needs `CrmCoreModule`. */
@Module({
  imports: [TypeOrmModule.forFeature([Person, Team, TeamMember, Company, Contact, ListEntry])],
  controllers: [PeopleController, TeamsController, CompaniesController, ContactsController, ...LIST_ENTRY_CONTROLLERS],
  providers: [PeopleService, TeamsService, CompaniesService, ContactsService, ListEntriesService],
  exports: [PeopleService, TeamsService, CompaniesService, ContactsService, ListEntriesService],
})
export class DirectoryModule {}
